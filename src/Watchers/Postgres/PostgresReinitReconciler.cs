using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Watchers.Engine;
using HaManager.Watchers.Failover;
using Serilog;

namespace HaManager.Watchers.Postgres;

/// <summary>
/// Acts on `hamanager node reinit` for this node: the request is a KV record (<c>postgres/reinit/&lt;this node&gt;</c>),
/// because the re-clone has to happen on this machine while the command may run anywhere. The watcher is the
/// one process here that already stops, starts and rejoins PostgreSQL, and reconcilers run one at a time, so
/// the re-clone never races the fencer or the standby restarter. The outcome is written back to the record
/// (compare-and-set), which the waiting command reads. A request found Running was interrupted (the watcher
/// restarted mid-way) and is carried out again: a re-clone starts from scratch anyway.
/// </summary>
public sealed class PostgresReinitReconciler(
    IKvStore kv, KvKeys keys, NodeName node, string passFile, Func<StandbyUpstream, CancellationToken, Task<string>> reclone, ILogger logger,
    TimeProvider? clock = null) : IReconciler
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public string Name => "postgres reinit";

    public IReadOnlyList<string> Prefixes { get; } = [keys.PostgresReinit(node), keys.PostgresMaster, keys.NodesPrefix, keys.PostgresNodesPrefix];

    public async Task<string?> ReconcileAsync(KvSnapshot snapshot, CancellationToken cancellationToken)
    {
        var key = keys.PostgresReinit(node);
        var entry = snapshot.Get(key);
        if (entry is null || !KvJson.TryParse<ReinitRequestRecord>(entry, out var request, out _) || request.IsFinished) return null;

        var facts = ClusterFacts.From(snapshot);
        var master = facts.VouchedMaster;
        string? refusal = master is null ? $"no registered primary at '{keys.PostgresMaster}' to clone from"
            : master.Node == node ? $"{node} is the registered primary; a primary is never re-cloned"
            : facts.NodeId(node) is null ? $"{node} has no repmgr node id at '{keys.PostgresNode(node)}'"
            : null;
        if (refusal is not null)
        {
            await FinishAsync(key, request, ReinitState.Failed, $"refused: {refusal}", cancellationToken);
            return $"refused the re-clone requested by {request.RequestedBy}: {refusal}";
        }

        // Claim it first: a lost compare-and-set means the record changed (a new request), seen on the next cycle.
        var running = request with { State = ReinitState.Running };
        if (!await kv.PutAsync(key, KvJson.Serialize(running), entry.ModifyIndex, cancellationToken)) return null;
        logger.Information("Re-cloning {Node} from the primary {Master}, as {By} requested", node.Value, master!.Node.Value, request.RequestedBy);
        string outcome;
        var state = ReinitState.Done;
        try
        {
            outcome = await reclone(new StandbyUpstream(master.Node, master.Host, master.Port, node, facts.NodeId(node)!.Value, passFile), cancellationToken);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException or Services.ServiceException or TimeoutException)
        {
            state = ReinitState.Failed;
            outcome = $"the re-clone from {master.Node} failed: {e.Message}";
        }

        await FinishAsync(key, running, state, outcome, cancellationToken);
        return $"re-clone requested by {request.RequestedBy}: {outcome}";
    }

    /// <summary>Written only while the record is still this request: a newer request is never overwritten.</summary>
    private async Task FinishAsync(string key, ReinitRequestRecord request, ReinitState state, string outcome, CancellationToken cancellationToken)
    {
        var current = (await kv.GetAsync(key, null, cancellationToken)).Value;
        if (current is null || !KvJson.TryParse<ReinitRequestRecord>(current, out var record, out _) || record.Id != request.Id) return;
        var finished = request with
        {
            State = state, FinishedAt = _clock.GetUtcNow(),
            Outcome = outcome.Length > ReinitRequestRecord.MaxOutcomeLength ? outcome[..ReinitRequestRecord.MaxOutcomeLength] : outcome,
        };
        await kv.PutAsync(key, KvJson.Serialize(finished), current.ModifyIndex, cancellationToken);
    }
}
