using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Watchers.Engine;
using HaManager.Watchers.Failover;
using HaManager.Watchers.Files;
using HaManager.Watchers.Notify;
using HaManager.Watchers.Services;
using Serilog;

namespace HaManager.Watchers.Postgres;

/// <summary>
/// No split brain, and no outage caused by the control plane.
/// (1) Isolation: a primary stops itself only when it has had NEITHER a Consul leader (or an answering
/// local agent) NOR a standby streaming from it (fresh reply_time) for <c>fence_without_quorum_seconds</c>.
/// A Consul outage alone never stops it: a standby still streaming from it proves the other side cannot
/// be promoting. It starts again only after a consistent read of <c>postgres/master</c> names it.
/// (2) Superseded: a primary-type data directory while KV names another registered master on a later
/// timeline (or the same one: a rival promotion that lost the compare-and-set) is stopped and rejoined
/// as a standby of that master. A primary on a later timeline than the registered master promoted
/// after it: KV has not caught up yet, and this node is left alone.
/// </summary>
public sealed class PostgresFencer(
    IKvStore kv, KvKeys keys, NodeName node, PostgresLocal local, IPostgresInstance postgres, IServiceManager services, PostgresRejoin rejoin,
    NotifyHook hook, Func<CancellationToken, Task<bool?>> consulHasLeader, ILogger logger, Func<bool>? paused = null) : IReconciler
{
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private TimeSpan? _isolatedSince;

    public string Name => "postgres fencing";

    public IReadOnlyList<string> Prefixes { get; } = [keys.PostgresMaster, keys.NodesPrefix, keys.PostgresNodesPrefix];

    public async Task<string?> ReconcileAsync(KvSnapshot snapshot, CancellationToken cancellationToken)
    {
        if (!local.DataDirectoryExists() || local.IsStandbyDataDirectory()) return null;
        if (paused?.Invoke() == true) return null;
        var quorumFenced = File.Exists(local.QuorumFenceFile);
        var leader = await consulHasLeader(cancellationToken);
        if (leader != true) return quorumFenced ? null : await FenceIfIsolatedAsync(leader, cancellationToken);
        _isolatedSince = null;

        var facts = ClusterFacts.From(snapshot);
        var master = facts.Master;
        if (master is null) return null;
        if (master.Node == node) return quorumFenced ? await RestartAfterQuorumFenceAsync(cancellationToken) : null;
        if (facts.VouchedMaster is null) return null; // a master KV cannot vouch for (unregistered node, wrong address) never fences anyone
        if (IsAheadOfKv(master)) return null;

        var running = await services.IsRunningAsync("postgresql", local.PostgresService, cancellationToken);
        if (running) await services.StopAsync("postgresql", local.PostgresService, cancellationToken);
        if (running || quorumFenced)
        {
            logger.Warning("Fenced the local PostgreSQL primary: '{Key}' names {Master} on timeline {Timeline}, this node is on timeline {Local}",
                keys.PostgresMaster, master.Node.Value, master.Timeline, local.Timeline());
            await TryMarkFencedAsync(master, cancellationToken);
        }

        if (facts.NodeId(node) is not { } selfId) return $"this node's primary is superseded by {master.Node}, but it has no node id at '{keys.PostgresNode(node)}' to rejoin with";
        var upstream = new StandbyUpstream(master.Node, master.Host, master.Port, node, selfId, local.PassFile);
        var outcome = await rejoin.RejoinAsync(upstream, cancellationToken);
        if (quorumFenced) File.Delete(local.QuorumFenceFile);
        await TryMarkRejoinedAsync(master, selfId, outcome, cancellationToken);
        return $"this node {(running ? "ran" : "held the data of")} a primary while {master.Node} is the registered master: {(running ? "stopped it and " : string.Empty)}{outcome}";
    }

    /// <summary>Ordered by timeline; a record from before timelines were recorded falls back to the promotion time.</summary>
    private bool IsAheadOfKv(PostgresMasterRecord master) => master.Timeline is { } timeline
        ? local.Timeline() > timeline
        : local.LastPromotion() is { } promotedAt && promotedAt >= master.Since;

    private async Task<string?> FenceIfIsolatedAsync(bool? leader, CancellationToken cancellationToken)
    {
        if (!await services.IsRunningAsync("postgresql", local.PostgresService, cancellationToken)) return null;
        var state = await postgres.ReadStateAsync(cancellationToken);
        if (!state.IsPrimary) return null;
        var why = leader is null ? "the local Consul agent does not answer" : "Consul has no leader";
        if (state.FreshStandbys > 0)
        {
            if (_isolatedSince is not null) logger.Information("{Why}, but {Count} standby(s) stream from this primary: it keeps serving", why, state.FreshStandbys);
            _isolatedSince = null;
            return null;
        }

        _isolatedSince ??= _clock.Elapsed;
        var isolated = _clock.Elapsed - _isolatedSince.Value;
        if (local.FenceWithoutQuorum <= TimeSpan.Zero || isolated < local.FenceWithoutQuorum) return null;

        await AtomicFile.WriteAsync(local.QuorumFenceFile, $"stopped at {DateTimeOffset.UtcNow:O}: {why} and no standby streamed for {isolated.TotalSeconds:0.0} s\n",
            cancellationToken: cancellationToken);
        await services.StopAsync("postgresql", local.PostgresService, cancellationToken);
        return $"{why} and no standby has streamed from this primary for {isolated.TotalSeconds:0.0} s (this node is cut off): stopped it so it cannot take writes";
    }

    /// <summary>Only a consistent read counts: a stale follower may still name this node after the majority moved on.</summary>
    private async Task<string?> RestartAfterQuorumFenceAsync(CancellationToken cancellationToken)
    {
        var entry = (await kv.GetAsync(keys.PostgresMaster, new QueryOptions { Stale = false }, cancellationToken)).Value;
        if (entry is null || !KvJson.TryParse<PostgresMasterRecord>(entry, out var master, out _) || master.Node != node) return null;
        File.Delete(local.QuorumFenceFile);
        await services.StartAsync("postgresql", local.PostgresService, cancellationToken);
        return "Consul has a leader again and a consistent read still names this node as master: started the primary again";
    }

    /// <summary>
    /// The node's record leaves PRIMARY/FENCED and history gets the demotion, also when the old primary was already
    /// down and nothing was fenced: otherwise its next promotion would look like a repeat of the old one.
    /// </summary>
    private async Task TryMarkRejoinedAsync(PostgresMasterRecord master, int selfId, string outcome, CancellationToken cancellationToken)
    {
        var follow = RepmgrEvent.Follow(node, selfId, master, $"rejoined as a standby of {master.Node}: {outcome}");
        try
        {
            await hook.RecordOrSpoolAsync(follow, cancellationToken);
        }
        catch (IOException e)
        {
            logger.Error("Could not record the rejoin of {Node} anywhere: {Reason}", node.Value, e.Message);
        }
    }

    /// <summary>Recorded like a hook's event, spool first: right after a partition heals the local Consul agent may not answer yet.</summary>
    private async Task TryMarkFencedAsync(PostgresMasterRecord master, CancellationToken cancellationToken)
    {
        var fenced = new PostgresFenced
        {
            Node = node, At = DateTimeOffset.UtcNow, PreviousState = "PRIMARY", Master = master.Node, MasterTimeline = master.Timeline, LocalTimeline = local.Timeline(),
        };
        try
        {
            await hook.RecordOrSpoolAsync(fenced, cancellationToken);
        }
        catch (IOException e)
        {
            logger.Error("Could not record the fence of {Node} anywhere: {Reason}", node.Value, e.Message);
        }
    }
}
