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

        var json = OptionValues.Flag("--json", "Print one JSON object (uri, host, port, database, user, via) instead of the URI");
        var uri = new Command("uri", "Print the libpq URI of the application database (without the password).") { via, json };
        uri.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(parse, async () =>
        {
            using var context = CliContext.CreateClient(parse, services);
            var target = await ResolveAsync(context, parse.GetValue(via), cancellationToken);
            context.Out.WriteLine(parse.GetValue(json)
                ? JsonSerializer.Serialize(new DbUri(target.Uri, target.Host, target.Port, target.Database, target.User, target.Via), CliJson.Options)
                : target.Uri);
            return ExitCodes.Ok;
        }));

        var psqlArguments = new Argument<string[]>("PSQL-ARGS") { Description = "Arguments passed to psql after --", Arity = ArgumentArity.ZeroOrMore };
        var psql = new Command("psql", "Run psql against the application database; the password goes through a temporary 0600 passfile, never the command line.") { via, psqlArguments };
        psql.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(parse, async () =>
        {
            using var context = CliContext.CreateClient(parse, services);
            var target = await ResolveAsync(context, parse.GetValue(via), cancellationToken);
            return await RunPsqlAsync(target, parse.GetValue(psqlArguments) ?? [], cancellationToken);
        }));

        db.Subcommands.Add(uri);
        db.Subcommands.Add(psql);
        return db;
    }

    private static async Task<DbTarget> ResolveAsync(CliContext context, string? via, CancellationToken cancellationToken)
    {
        via ??= context.OnNode ? Local : Vip;
        using var cluster = context.ConnectConsul();
        var endpoint = await AppDatabaseEndpoint.ReadAsync(cluster.Kv, context.Keys, context.Settings, via == Vip, cancellationToken);
        return new DbTarget(endpoint.Host, endpoint.Port, endpoint.Database, endpoint.User, endpoint.Password, Path.Combine(context.Settings.Postgres.BinDir, "psql"), via);
    }

    private static async Task<int> RunPsqlAsync(DbTarget target, string[] arguments, CancellationToken cancellationToken)
    {
        var passfile = Path.Combine(Path.GetTempPath(), $"hamanager-pgpass-{Guid.NewGuid():N}");
        await AtomicFile.WriteAsync(passfile, $"*:*:{target.Database}:{target.User}:{target.Password}\n", AtomicFile.PrivateMode, cancellationToken: cancellationToken);
        try
        {
            var start = new ProcessStartInfo(target.Psql) { UseShellExecute = false };
            foreach (var argument in new[] { "-h", target.Host, "-p", target.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", target.User, "-d", target.Database }.Concat(arguments))
                start.ArgumentList.Add(argument);
            start.Environment["PGPASSFILE"] = passfile;
            start.Environment.Remove("PGPASSWORD");
            using var process = Process.Start(start) ?? throw new IOException($"could not start {target.Psql}");
            await process.WaitForExitAsync(cancellationToken);
            return process.ExitCode;
        }
        finally
        {
            File.Delete(passfile);
        }
    }

    private sealed record DbTarget(string Host, int Port, string Database, string User, string Password, string Psql, string Via)
    {
        public string Uri => $"postgresql://{User}@{Host}:{Port}/{Database}";
    }
}
