using System.CommandLine;
using HaManager.Cluster.Model;
using HaManager.Watchers.Postgres;

namespace HaManager.Cli.Commands;

public static class PostgresCommand
{
    public static Command Create()
    {
        var postgres = new Command("postgres", "The local PostgreSQL as HaManager runs it.");
        postgres.Subcommands.Add(CreateStartGuard());
        return postgres;
    }

    private static Command CreateStartGuard()
    {
        var wait = OptionValues.Seconds("--consul-wait", "How long to wait for Consul to confirm", 60, 3600);
        var command = new Command("start-guard",
            "Exit 0 when PostgreSQL may start here (a standby, or a primary that a consistent read of postgres/master names), 1 with the reason otherwise. " +
            "hamanager-postgresql.service runs it before every start, so a former primary never comes back as a second primary.")
        {
            wait,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            using var context = CliContext.Create(parse, daemon: false);
            var seconds = parse.GetValue(wait);
            using var consul = context.CreateConsulClient();
            var guard = new PostgresStartGuard(consul, context.Keys, NodeName.Parse(context.Settings.Node.Name), new PostgresLocal(context.Settings));
            var decision = await guard.DecideAsync(TimeSpan.FromSeconds(seconds), cancellationToken);
            (decision.Allowed ? Console.Out : Console.Error).WriteLine($"hamanager: {(decision.Allowed ? "PostgreSQL may start" : "PostgreSQL must not start")}: {decision.Reason}");
            return decision.Allowed ? ExitCodes.Ok : ExitCodes.Failed;
        }));
        return command;
    }
}
