using HaManager.Watchers.Pgbouncer;
using System.CommandLine;
using System.Text.Json;
using HaManager.Api.Status;
using HaManager.Cli.Switchover;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Watchers.Processes;

namespace HaManager.Cli.Commands;

/// <summary>
/// `hamanager switchover [--to NODE] [--yes] [--json]`: a planned move of the primary (docs/postgres.md,
/// "Switchover"). Only reads and writes Consul and talks to each node's pgbouncer, so it runs on any node or
/// on a workstation that reaches the cluster (and has psql).
/// </summary>
public static class SwitchoverCommand
{
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(90);

    public static Command Create(CliServices services)
    {
        var to = new Option<string?>("--to") { Description = "The standby to promote (default: the most advanced healthy standby)", HelpName = "NODE" };
        var yes = OptionValues.Flag("--yes", "Do not ask for confirmation (required when standard input is not a terminal)");
        var json = OptionValues.Flag("--json", "Print the outcome as one JSON object (outcome, from, to, paused_seconds, total_seconds, steps) on stdout; the steps go to stderr");
        var command = new Command("switchover",
            "Move the PostgreSQL primary to a standby without losing a write: pause clients on every pgbouncer, stop the primary cleanly, " +
            "promote the standby once it has everything, retarget and resume every pgbouncer; the VIP and the other standbys follow. " +
            $"Exits {ExitCodes.Refused} when refused (nothing changed), {ExitCodes.RolledBack} when rolled back (the old primary serves again).")
        {
            to, yes, json,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var asJson = parse.GetValue(json);
            return CommandRunner.RunAsync(parse, async () =>
            {
                using var context = CliContext.CreateClient(parse, services);
                var output = new SwitchoverOutput(context.Out, context.Error, asJson);
                if (parse.GetValue(to) is { } name && !NodeName.TryParse(name, out _, out var nameError)) throw new FormatException($"--to: {nameError}");
                using var cluster = context.ConnectConsulForOperation();
                var by = Sanitized($"{Environment.UserName}@{Environment.MachineName}");
                await using var held = await cluster.TakeLock(context.Keys.SwitchoverLock, by, LockWait, cancellationToken);

                var reader = new ClusterStatusReader(cluster.Kv, context.Keys, cluster.Probe ?? throw new InvalidOperationException("switchover needs live facts (each PostgreSQL), which this connection cannot ask"),
                    context.Settings.Postgres.Port);
                var status = await reader.ReadAsync(cancellationToken);
                // One probe that got no answer (a busy machine) is not yet "a failover may be in progress": look again before refusing.
                for (var look = 2; look <= MasterLooks && MasterRoleUnknown(status); look++)
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                    status = await reader.ReadAsync(cancellationToken);
                }

                var running = (await cluster.Kv.GetAsync(context.Keys.Switchover, null, cancellationToken)).Value;
                var decision = SwitchoverRules.Decide(new SwitchoverInput(
                    status.PostgresMaster,
                    status.Nodes.Select(n => new SwitchoverNode(n.Name, n.Alive, n.Postgres.Role, n.Postgres.Upstream, n.Postgres.LagBytes, n.Keepalived.Priority)).ToList(),
                    parse.GetValue(to), status.Problems,
                    running is not null && KvJson.TryParse<SwitchoverRecord>(running, out var record, out _) ? record : null,
                    DateTimeOffset.UtcNow, SwitchoverRules.DefaultMaxLagBytes));
                if (decision.Refused) return output.Refused(decision, parse.GetValue(to));

                if (!parse.GetValue(yes))
                {
                    if (!services.InputIsTerminal)
                        throw new FormatException($"switching over from {decision.From} to {decision.To} needs confirmation: standard input is not a terminal, pass --yes");
                    context.Error.Write($"Switch the primary over from {decision.From} to {decision.To}? Clients pause for a few seconds. [y/N] ");
                    if (services.ReadAnswer()?.Trim().ToLowerInvariant() is not ("y" or "yes"))
                        return output.Refused(SwitchoverDecision.Refuse("not confirmed"), decision.To);
                }

                var plan = await PlanAsync(context, cluster.Kv, decision, by, cancellationToken);
                await using var fleet = await FleetAsync(context, cluster.Kv, plan, cancellationToken);
                var run = new SwitchoverRun(cluster.Kv, context.Keys, fleet, plan, output.Step);
                var result = await run.RunAsync(cancellationToken);
                if (result.Outcome == SwitchoverResult.Switched)
                    result = result with { Settled = await new SwitchoverSettling(reader, plan, output.Step, run).WaitAsync(SettleTimeout, cancellationToken) };
                await SwitchoverHistory.RecordAsync(cluster.Kv, context.Keys, plan, result, cancellationToken);
                return output.Finished(result);
            }, (code, message) => { if (asJson) parse.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(new { outcome = SwitchoverResult.FailedOutcome, error = message, exit_code = code }, CliJson.Options)); });
        });
        return command;
    }

    private static async Task<SwitchoverPlan> PlanAsync(CliContext context, IKvStore kv, SwitchoverDecision decision, string by, CancellationToken cancellationToken)
    {
        var config = KvJson.Parse<ClusterConfig>((await kv.GetAsync(context.Keys.Config, null, cancellationToken)).Value
            ?? throw new InvalidOperationException($"no cluster config at '{context.Keys.Config}'"));
        var target = NodeName.Parse(decision.To!);
        var node = KvJson.Parse<NodeRecord>((await kv.GetAsync(context.Keys.Node(target), null, cancellationToken)).Value
            ?? throw new InvalidOperationException($"{target} is not registered at '{context.Keys.Node(target)}'"));
        return new SwitchoverPlan(NodeName.Parse(decision.From!), target, node.Address, config.AppDatabase.Value, by);
    }

    private static async Task<PgbouncerFleet> FleetAsync(CliContext context, IKvStore kv, SwitchoverPlan plan, CancellationToken cancellationToken)
    {
        var secrets = KvJson.Parse<PostgresSecrets>((await kv.GetAsync(context.Keys.PostgresSecrets, null, cancellationToken)).Value
            ?? throw new InvalidOperationException($"no credentials at '{context.Keys.PostgresSecrets}'"));
        var nodes = (await kv.ListAsync(context.Keys.NodesPrefix, null, cancellationToken)).Value.Select(KvJson.Parse<NodeRecord>).ToList();
        return new PgbouncerFleet(nodes.Select(n => new PgbouncerConsole(n.Name.Value, n.Address, context.Settings.Pgbouncer.ListenPort,
            HaManager.Templates.Views.UserlistView.AdminUserName, secrets.RepmgrPassword)).ToList(), plan.Database);
    }

    private const int MasterLooks = 3;

    private static bool MasterRoleUnknown(ClusterStatus status) =>
        status.Nodes.FirstOrDefault(n => n.Name == status.PostgresMaster)?.Postgres.Role == "unknown";

    private static string Sanitized(string text)
    {
        var clean = new string(text.Where(c => !char.IsControl(c)).ToArray());
        return clean.Length is > 0 and <= 200 ? clean : "unknown";
    }
}
