using System.CommandLine;
using System.Diagnostics;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Watchers.Files;

namespace HaManager.Cli.Commands;

/// <summary>`hamanager db uri|psql`: the application database through pgbouncer, local or via the virtual IP.</summary>
public static class DbCommand
{
    public static Command Create()
    {
        var db = new Command("db", "The application database, reached through pgbouncer.");
        var via = new Option<string>("--via") { Description = "local: this node's pgbouncer (127.0.0.1); vip: the pgbouncer on the virtual IP holder", DefaultValueFactory = _ => "local" };
        via.AcceptOnlyFromAmong("local", "vip");

        var uri = new Command("uri", "Print the libpq URI of the application database (without the password).") { via };
        uri.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var target = await ResolveAsync(parse, parse.GetValue(via)!, cancellationToken);
            Console.Out.WriteLine(target.Uri);
            return ExitCodes.Ok;
        }));

        var psqlArguments = new Argument<string[]>("PSQL-ARGS") { Description = "Arguments passed to psql after --", Arity = ArgumentArity.ZeroOrMore };
        var psql = new Command("psql", "Run psql against the application database; the password goes through a temporary 0600 passfile, never the command line.") { via, psqlArguments };
        psql.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var target = await ResolveAsync(parse, parse.GetValue(via)!, cancellationToken);
            return await RunPsqlAsync(target, parse.GetValue(psqlArguments) ?? [], cancellationToken);
        }));

        db.Subcommands.Add(uri);
        db.Subcommands.Add(psql);
        return db;
    }

    private static async Task<DbTarget> ResolveAsync(ParseResult parse, string via, CancellationToken cancellationToken)
    {
        using var context = CliContext.Create(parse, daemon: false);
        using var consul = context.CreateConsulClient();
        var config = KvJson.Parse<ClusterConfig>((await consul.GetAsync(context.Keys.Config, null, cancellationToken)).Value
            ?? throw new InvalidOperationException($"no cluster config at '{context.Keys.Config}' (not bootstrapped?)"));
        var secrets = KvJson.Parse<PostgresSecrets>((await consul.GetAsync(context.Keys.PostgresSecrets, null, cancellationToken)).Value
            ?? throw new InvalidOperationException($"no credentials at '{context.Keys.PostgresSecrets}' (PostgreSQL not bootstrapped?)"));
        var host = via == "vip" ? config.VirtualIp.Address.ToString() : "127.0.0.1";
        var port = context.Settings.Pgbouncer.ListenPort;
        return new DbTarget(host, port, config.AppDatabase.Value, config.AppUser.Value, secrets.AppPassword, Path.Combine(context.Settings.Postgres.BinDir, "psql"));
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

    private sealed record DbTarget(string Host, int Port, string Database, string User, string Password, string Psql)
    {
        public string Uri => $"postgresql://{User}@{Host}:{Port}/{Database}";
    }
}
