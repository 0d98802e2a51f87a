using System.CommandLine;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using HaManager.Cli.Drill;
using HaManager.Cli.Switchover;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Watchers.Postgres;

namespace HaManager.Cli.Commands;

/// <summary>
/// `hamanager drill [--switchover | --kill-primary] [--to NODE] [--duration SECONDS] [--yes] [--json]`: a failover
/// drill on the operator's own cluster, measured by a writer through the virtual IP (docs/operations.md, "Failover drill").
/// </summary>
public static class DrillCommand
{
    public const double DefaultDurationSeconds = 30;
    public const double MaxDurationSeconds = 600;

    public static Command Create(CliServices services)
    {
        var switchover = OptionValues.Flag("--switchover", "Measure a planned switchover, the same as `hamanager switchover` (the default)");
        var killPrimary = OptionValues.Flag("--kill-primary",
            "Measure a real failover: SIGKILL this node's PostgreSQL postmaster, as a crash would. Runs only on the primary itself and only with --yes");
        var to = new Option<string?>("--to") { Description = "With --switchover: the standby to promote (default: the most advanced healthy standby)", HelpName = "NODE" };
        var duration = OptionValues.Seconds("--duration", "Write for at least this long, and give the cluster this long to recover; writing goes on a few seconds past the recovery when that is later",
            DefaultDurationSeconds, MaxDurationSeconds);
        var yes = OptionValues.Flag("--yes", "Do not ask for confirmation (required when standard input is not a terminal, and always for --kill-primary)");
        var json = OptionValues.Flag("--json",
            "Print the figures as one JSON object (outcome, mode, from, to, rto_seconds, longest_gap_seconds, client_errors, acked_rows, lost_rows, table) on stdout; the steps go to stderr");
        var command = new Command("drill",
            "Run a failover drill and print what it cost: a writer inserts numbered rows one at a time into a new table " +
            $"({DrillTable.NamePrefix}<time>) through the pgbouncer on the virtual IP while the primary moves, then the RTO (from the action to the first " +
            "write acknowledged by another server), the longest gap between acknowledged writes, the client errors and the acknowledged rows lost. " +
            "The table is dropped afterwards; the figures are recorded under drills/ in KV and in history. " +
            $"Exits {ExitCodes.Refused} when refused (nothing changed), {ExitCodes.Failed} when the cluster did not recover within --duration.")
        {
            switchover, killPrimary, to, duration, yes, json,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(switchover) && result.GetValue(killPrimary)) result.AddError("--switchover and --kill-primary: choose one");
            if (result.GetValue(killPrimary) && result.GetValue(to) is not null) result.AddError("--to: only with --switchover (after a crash the failover picks the new primary)");
            if (result.GetValue(to) is { } name && !NodeName.TryParse(name, out _, out var nameError)) result.AddError($"--to: {nameError}");
        });
        command.SetAction((parse, cancellationToken) =>
        {
            var asJson = parse.GetValue(json);
            var request = new DrillRequest(parse.GetValue(killPrimary) ? DrillRecord.KillPrimary : DrillRecord.Switchover, parse.GetValue(to),
                TimeSpan.FromSeconds(parse.GetValue(duration)), parse.GetValue(yes));
            return CommandRunner.RunAsync(parse, () => RunAsync(parse, services, request, asJson, cancellationToken),
                (code, message) => { if (asJson) parse.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(new { outcome = DrillResult.Failed, error = message, exit_code = code }, CliJson.Options)); });
        });
        return command;
    }

    private sealed record DrillRequest(string Mode, string? To, TimeSpan Duration, bool Yes)
    {
        public bool KillPrimary => Mode == DrillRecord.KillPrimary;
    }

    private static async Task<int> RunAsync(ParseResult parse, CliServices services, DrillRequest request, bool asJson, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var context = CliContext.CreateClient(parse, services);
        var output = new DrillOutput(context.Out, context.Error, asJson, () => clock.Elapsed);
        if (request.KillPrimary && !request.Yes)
            return output.Refused("--kill-primary stops the primary's PostgreSQL hard, as a crash would (clients see errors, a failover follows); pass --yes to run it");

        using var cluster = context.ConnectConsulForOperation();
        var kv = cluster.Kv;
        if (request.KillPrimary && await NotOnThePrimaryAsync(context, cluster, cancellationToken) is { } elsewhere) return output.Refused(elsewhere);

        var switchover = new SwitchoverOperation(context, cluster, output.Nested);
        await using var held = await switchover.LockAsync(cancellationToken);
        var (decision, status) = await switchover.DecideAsync(request.To, cancellationToken);
        if (decision.Refused) return output.Refused(decision.Refusal!);
        if (request.KillPrimary && status.Maintenance is not null)
            return output.Refused("maintenance is on, so no node would fail over and the cluster would stay without a primary; end it first (hamanager maintenance off)");
        var table = DrillTable.At(DateTimeOffset.UtcNow);
        if (!request.Yes && !Confirmation.Ask(services, context.Error, $"a switchover drill from {decision.From} to {decision.To}",
                $"Run a failover drill: switch the primary over from {decision.From} to {decision.To} while writing to a new table {table} through the virtual IP?"))
            return output.Refused("not confirmed");

        var endpoint = await AppDatabaseEndpoint.ReadAsync(kv, context.Keys, context.Settings, viaVip: true, cancellationToken);
        var nodes = (await kv.ListAsync(context.Keys.NodesPrefix, null, cancellationToken)).Value.Select(KvJson.Parse<NodeRecord>).ToList();
        var from = nodes.FirstOrDefault(n => n.Name.Value == decision.From) ?? throw new InvalidOperationException($"the primary {decision.From} is not registered under '{context.Keys.NodesPrefix}'");
        var subject = new DrillSubject(from.Name.Value, from.Address, nodes.DistinctBy(n => n.Address).ToDictionary(n => n.Address, n => n.Name.Value));
        output.Step(request.KillPrimary
            ? $"failover drill: {from.Name} is the primary; its PostgreSQL will be killed"
            : $"failover drill: switchover from {decision.From} to {decision.To}");

        var action = request.KillPrimary ? KillAction(context, output, from.Name) : SwitchoverAction(switchover, decision, output);
        var run = new DrillRun(new DrillDatabase(endpoint, table), subject, output, () => clock.Elapsed, new DrillTimings(request.Duration));
        var outcome = await run.RunAsync(request.KillPrimary ? "kill" : "switchover", action, cancellationToken);
        var at = DateTimeOffset.UtcNow;
        if (outcome.Failure is { } failure)
        {
            // Once the action began the cluster changed: history says so, even when the drill could not measure it.
            if (outcome.Figures.ActionStarted && failure.ExitCode != ExitCodes.Refused)
                await DrillHistory.RecordFailureAsync(kv, context.Keys, request.Mode, from.Name, switchover.By, failure.Message, at, CancellationToken.None);
            return output.Failed(failure.ExitCode, failure.Message);
        }

        var figures = outcome.Figures;
        var result = new DrillResult(DrillResult.Completed, request.Mode, from.Name.Value, subject.NodeOf(figures.RecoveredOn) ?? decision.To,
            Math.Round(figures.Rto!.Value.TotalSeconds, 3), Math.Round(figures.LongestGap.TotalSeconds, 3), figures.ClientErrors,
            figures.AcknowledgedRows, outcome.Check!.Lost, table.Name, outcome.TableDropped);
        await DrillHistory.RecordAsync(kv, context.Keys, result, switchover.By, at, CancellationToken.None);
        return output.Finished(result);
    }

    /// <returns>Why not, when this machine is not the primary whose PostgreSQL --kill-primary would stop.</returns>
    private static async Task<string?> NotOnThePrimaryAsync(CliContext context, ClusterConnection cluster, CancellationToken cancellationToken)
    {
        var value = (await cluster.Kv.GetAsync(context.Keys.PostgresMaster, null, cancellationToken)).Value;
        if (value is null || !KvJson.TryParse<PostgresMasterRecord>(value, out var master, out _))
            return $"no PostgreSQL master is registered at '{context.Keys.PostgresMaster}': there is no primary to kill";
        if (context.OnNode && context.Settings.Node.Name == master.Node.Value) return null;
        var here = context.OnNode ? $"this is {context.Settings.Node.Name}" : "this machine is not a cluster node";
        return $"--kill-primary stops this node's own PostgreSQL, so run it on the primary {master.Node} ({here})";
    }

    private static DrillAction SwitchoverAction(SwitchoverOperation switchover, SwitchoverDecision decision, DrillOutput output) => async cancellationToken =>
    {
        output.Step($"switching over from {decision.From} to {decision.To} (its own steps, timed from its start):");
        var result = await switchover.RunAsync(decision, cancellationToken);
        if (result.Settled == false) output.Warning("the cluster had not settled after the switchover (see the steps above); check `hamanager status`");
        return result.Outcome switch
        {
            SwitchoverResult.Switched => null,
            SwitchoverResult.Refused => new DrillFailure(ExitCodes.Refused, $"the switchover was refused: {result.Error}"),
            SwitchoverResult.RolledBack => new DrillFailure(ExitCodes.RolledBack, $"the switchover was rolled back, {decision.From} is still the primary: {result.Error}"),
            _ => new DrillFailure(ExitCodes.Failed, $"the switchover failed: {result.Error}"),
        };
    };

    private static DrillAction KillAction(CliContext context, DrillOutput output, NodeName primary) => _ =>
    {
        var kill = new PostmasterKill(new PostgresLocal(context.Settings));
        var pid = kill.Kill();
        output.Step($"killed {primary}'s PostgreSQL (SIGKILL to the postmaster, PID {pid}, from {kill.PidFile}): the watchers now fail over");
        return Task.FromResult<DrillFailure?>(null);
    };
}
