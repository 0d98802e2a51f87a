using HaManager.Api.Status;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Watchers.Pgbouncer;

namespace HaManager.Cli.Switchover;

/// <summary>
/// One planned switchover as `hamanager switchover` and `hamanager drill` run it: the lock that serializes them,
/// the decision from the live status, then the run, the settling and the history record. The callers only differ
/// in what they do around it (the drill writes through the VIP meanwhile).
/// </summary>
public sealed class SwitchoverOperation(CliContext context, ClusterConnection cluster, Action<string> print)
{
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(90);

    /// <summary>Who asks (user@host), for the lock, the switchover record and history.</summary>
    public string By { get; } = Sanitized($"{Environment.UserName}@{Environment.MachineName}");

    private ClusterStatusReader? _reader;

    private ClusterStatusReader Reader => _reader ??= new ClusterStatusReader(cluster.Kv, context.Keys,
        cluster.Probe ?? throw new InvalidOperationException("a switchover needs live facts (each PostgreSQL), which this connection cannot ask"),
        context.Settings.Postgres.Port);

    /// <summary>Held for the whole operation: no second switchover (or drill) runs meanwhile.</summary>
    public Task<IAsyncDisposable> LockAsync(CancellationToken cancellationToken) =>
        cluster.TakeLock(context.Keys.SwitchoverLock, By, LockWait, cancellationToken);

    /// <summary>Whether a switchover may go ahead now, and to which node (<paramref name="to"/> or the best standby).</summary>
    public async Task<(SwitchoverDecision Decision, ClusterStatus Status)> DecideAsync(string? to, CancellationToken cancellationToken)
    {
        var status = await Reader.ReadAsync(cancellationToken);
        // One probe that got no answer (a busy machine) is not yet "a failover may be in progress": look again before refusing.
        for (var look = 2; look <= MasterLooks && MasterRoleUnknown(status); look++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            status = await Reader.ReadAsync(cancellationToken);
        }

        var running = (await cluster.Kv.GetAsync(context.Keys.Switchover, null, cancellationToken)).Value;
        var decision = SwitchoverRules.Decide(new SwitchoverInput(
            status.PostgresMaster,
            status.Nodes.Select(n => new SwitchoverNode(n.Name, n.Alive, n.Postgres.Role, n.Postgres.Upstream, n.Postgres.LagBytes, n.Keepalived.Priority)).ToList(),
            to, status.Problems,
            running is not null && KvJson.TryParse<SwitchoverRecord>(running, out var record, out _) ? record : null,
            DateTimeOffset.UtcNow, SwitchoverRules.DefaultMaxLagBytes));
        return (decision, status);
    }

    /// <summary>Runs an accepted switchover to its end (switched, rolled back or failed), waits for the cluster to settle, and records it in history.</summary>
    public async Task<SwitchoverResult> RunAsync(SwitchoverDecision decision, CancellationToken cancellationToken)
    {
        var plan = await PlanAsync(decision, cancellationToken);
        await using var fleet = await FleetAsync(plan, cancellationToken);
        var run = new SwitchoverRun(cluster.Kv, context.Keys, fleet, plan, print);
        var result = await run.RunAsync(cancellationToken);
        if (result.Outcome == SwitchoverResult.Switched)
            result = result with { Settled = await new SwitchoverSettling(Reader, plan, print, run).WaitAsync(SettleTimeout, cancellationToken) };
        await SwitchoverHistory.RecordAsync(cluster.Kv, context.Keys, plan, result, cancellationToken);
        return result;
    }

    private async Task<SwitchoverPlan> PlanAsync(SwitchoverDecision decision, CancellationToken cancellationToken)
    {
        var config = KvJson.Parse<ClusterConfig>((await cluster.Kv.GetAsync(context.Keys.Config, null, cancellationToken)).Value
            ?? throw new InvalidOperationException($"no cluster config at '{context.Keys.Config}'"));
        var target = NodeName.Parse(decision.To!);
        var node = KvJson.Parse<NodeRecord>((await cluster.Kv.GetAsync(context.Keys.Node(target), null, cancellationToken)).Value
            ?? throw new InvalidOperationException($"{target} is not registered at '{context.Keys.Node(target)}'"));
        return new SwitchoverPlan(NodeName.Parse(decision.From!), target, node.Address, config.AppDatabase.Value, By);
    }

    private async Task<PgbouncerFleet> FleetAsync(SwitchoverPlan plan, CancellationToken cancellationToken)
    {
        var secrets = KvJson.Parse<PostgresSecrets>((await cluster.Kv.GetAsync(context.Keys.PostgresSecrets, null, cancellationToken)).Value
            ?? throw new InvalidOperationException($"no credentials at '{context.Keys.PostgresSecrets}'"));
        var nodes = (await cluster.Kv.ListAsync(context.Keys.NodesPrefix, null, cancellationToken)).Value.Select(KvJson.Parse<NodeRecord>).ToList();
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
