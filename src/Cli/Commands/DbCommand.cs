using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using HaManager.Watchers.Files;

namespace HaManager.Cli.Commands;

/// <summary>
/// `hamanager db uri|psql`: the application database through pgbouncer, local or via the virtual IP. Both only
/// read Consul, so they run on a workstation too (where the virtual IP is the default way in).
/// </summary>
public static class DbCommand
{
    private const string Local = "local";
    private const string Vip = "vip";

    public static Command Create(CliServices services)
    {
        var db = new Command("db", "The application database, reached through pgbouncer.");
        var via = new Option<string?>("--via")
        {
            Description = $"{Local}: this node's pgbouncer (127.0.0.1); {Vip}: the pgbouncer on the virtual IP holder (default: {Local} on a cluster node, {Vip} elsewhere)",
        };
        via.AcceptOnlyFromAmong(Local, Vip);

        var json = OptionValues.Flag("--json", "Print one JSON object (uri, host, port, database, user, via; password with --show-password) instead of the URI");
        var showPassword = OptionValues.Flag("--show-password",
            "Put the application password into the URI (postgresql://USER:PASSWORD@HOST:PORT/DB); it is read from KV secrets/, which needs a token that may read it (a node's token or the management token, not the operator token)");
        var uri = new Command("uri", "Print the libpq URI of the application database; without --show-password it carries no password (libpq then asks, or reads PGPASSFILE) and no secret is read.")
        {
            via, json, showPassword,
        };
        uri.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(parse, async () =>
        {
            using var context = CliContext.CreateClient(parse, services);
            var withPassword = parse.GetValue(showPassword);
            var target = await ResolveAsync(context, parse.GetValue(via), withPassword, cancellationToken);
            var shown = withPassword ? target.UriWithPassword : target.Uri;
            context.Out.WriteLine(parse.GetValue(json)
                ? JsonSerializer.Serialize(new DbUri(shown, target.Host, target.Port, target.Database, target.User, target.Via) { Password = withPassword ? target.Password : null }, CliJson.Options)
                : shown);
            return ExitCodes.Ok;
        }));

        var psqlArguments = new Argument<string[]>("PSQL-ARGS") { Description = "Arguments passed to psql after --", Arity = ArgumentArity.ZeroOrMore };
        var psql = new Command("psql", "Run psql against the application database; the password goes through a temporary 0600 passfile, never the command line.") { via, psqlArguments };
        psql.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(parse, async () =>
        {
            using var context = CliContext.CreateClient(parse, services);
            var target = await ResolveAsync(context, parse.GetValue(via), withPassword: true, cancellationToken);
            return await RunPsqlAsync(target, parse.GetValue(psqlArguments) ?? [], cancellationToken);
        }));

        db.Subcommands.Add(uri);
        db.Subcommands.Add(psql);
        return db;
    }

    private static async Task<DbTarget> ResolveAsync(CliContext context, string? via, bool withPassword, CancellationToken cancellationToken)
    {
        via ??= context.OnNode ? Local : Vip;
        using var cluster = context.ConnectConsul();
        var endpoint = await AppDatabaseEndpoint.ReadAsync(cluster.Kv, context.Keys, context.Settings, via == Vip, cancellationToken, withPassword);
        return new DbTarget(endpoint.Host, endpoint.Port, endpoint.Database, endpoint.User, endpoint.Password, Path.Combine(context.Settings.Postgres.BinDir, "psql"), via);
    }

    private static async Task<int> RunPsqlAsync(DbTarget target, string[] arguments, CancellationToken cancellationToken)
    {
        var passfile = Path.Combine(Path.GetTempPath(), $"hamanager-pgpass-{Guid.NewGuid():N}");
        // The one host psql is pointed at: a "-h elsewhere" among the psql arguments finds no password to send there.
        await AtomicFile.WriteAsync(passfile, $"{target.Host}:{target.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}:{target.Database}:{target.User}:{target.Password}\n",
            AtomicFile.PrivateMode, cancellationToken: cancellationToken);
        try
        {
            var start = new ProcessStartInfo(target.Psql) { UseShellExecute = false };
            foreach (var argument in new[] { "-h", target.Host, "-p", target.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", target.User, "-d", target.Database }.Concat(arguments))
                start.ArgumentList.Add(argument);
            HaManager.Watchers.Processes.ChildEnvironment.Scrub(start.Environment);
            start.Environment["PGPASSFILE"] = passfile;
            using var process = Process.Start(start) ?? throw new IOException($"could not start {target.Psql}");
            await process.WaitForExitAsync(cancellationToken);
            return process.ExitCode;
        }
        finally
        {
            File.Delete(passfile);
        }
    }

    private sealed record DbTarget(string Host, int Port, string Database, string User, string? Password, string Psql, string Via)
    {
        public string Uri => DbUri.Format(User, null, Host, Port, Database);

        public string UriWithPassword => DbUri.Format(User, Password ?? throw new InvalidOperationException("the password was not read"), Host, Port, Database);

        /// <summary>Never the password.</summary>
        public override string ToString() => Uri;
    }
}
