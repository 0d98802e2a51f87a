using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Watchers.Engine;
using HaManager.Watchers.Files;
using HaManager.Watchers.Services;
using Serilog;

namespace HaManager.Watchers.Postgres;

/// <summary>
/// No split brain. (1) A primary on the minority side of a partition (its Consul agent answers but has
/// no Raft leader for <c>fence_without_quorum_seconds</c>) stops PostgreSQL: the majority is about to
/// promote a standby, and a write the old primary took could only be "acknowledged" by a client's
/// cancel. (2) A PostgreSQL running as a primary while KV names another, registered master that became
/// master after this node's own last promotion is stopped and rejoined as a standby of that master.
/// If the rejoin fails it stays stopped and the next cycle tries again.
/// </summary>
public sealed class PostgresFencer(
    IKvStore kv, KvKeys keys, NodeName node, PostgresLocal local, IServiceManager services, PostgresRejoin rejoin,
    Func<CancellationToken, Task<bool?>> consulHasLeader, ILogger logger) : IReconciler
{
    private DateTimeOffset? _noLeaderSince;

    public string Name => "postgres fencing";

    public IReadOnlyList<string> Prefixes { get; } = [keys.PostgresMaster, keys.NodesPrefix];

    public async Task<string?> ReconcileAsync(KvSnapshot snapshot, CancellationToken cancellationToken)
    {
        if (!local.DataDirectoryExists() || local.IsStandbyDataDirectory()) return null;
        var leader = await consulHasLeader(cancellationToken);
        if (leader == false) return await FenceWithoutQuorumAsync(cancellationToken);
        if (leader is null) return null; // the local agent itself is down: nothing can be known, keep running (DESIGN §5)
        _noLeaderSince = null;

        var errors = new List<KvValueError>();
        var master = snapshot.Parse<PostgresMasterRecord>(keys.PostgresMaster, errors);
        if (master is null) return null;
        var quorumFenced = File.Exists(local.QuorumFenceFile);
        if (master.Node == node)
        {
            if (!quorumFenced) return null;
            File.Delete(local.QuorumFenceFile);
            await services.StartAsync("postgresql", local.PostgresService, cancellationToken);
            return "Consul has a leader again and KV still names this node as master: started the primary again";
        }

        if (!snapshot.ParseRegisteredNodes(errors).TryGetValue(master.Node.Value, out var registered) || !registered.Address.Equals(master.Host))
        {
            return null; // a master KV cannot vouch for (unregistered node, wrong address) never fences anyone
        }

        if (local.LastPromotion() is { } promotedAt && promotedAt >= master.Since)
        {
            return null; // promoted after the registered master: KV has not caught up yet (the promote hook or its spool will)
        }

        var running = await services.IsRunningAsync("postgresql", local.PostgresService, cancellationToken);
        var fenced = quorumFenced || await IsFencedAsync(cancellationToken);
        if (!running && !fenced) return null; // stopped and never fenced: bootstrap decides how it comes back

        if (running) await services.StopAsync("postgresql", local.PostgresService, cancellationToken);
        if (running || quorumFenced)
        {
            await MarkFencedAsync(master, cancellationToken);
            logger.Warning("Fenced the local PostgreSQL primary: '{Key}' names {Master} since {Since:O}", keys.PostgresMaster, master.Node.Value, master.Since);
        }

        var outcome = await rejoin.RejoinAsync(master, cancellationToken);
        if (quorumFenced) File.Delete(local.QuorumFenceFile);
        return $"this node ran as a primary while {master.Node} is the registered master: stopped it and {outcome}";
    }

    private async Task<string?> FenceWithoutQuorumAsync(CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        _noLeaderSince ??= now;
        if (local.FenceWithoutQuorum <= TimeSpan.Zero || now - _noLeaderSince < local.FenceWithoutQuorum) return null;
        if (!await services.IsRunningAsync("postgresql", local.PostgresService, cancellationToken)) return null;

        await AtomicFile.WriteAsync(local.QuorumFenceFile, $"stopped at {now:O}: no Consul leader since {_noLeaderSince:O}\n", cancellationToken: cancellationToken);
        await services.StopAsync("postgresql", local.PostgresService, cancellationToken);
        return $"Consul has had no leader since {_noLeaderSince:O} (this node is on the minority side): stopped the local primary so it cannot take writes";
    }

    private async Task<bool> IsFencedAsync(CancellationToken cancellationToken)
    {
        var entry = (await kv.GetAsync(keys.PostgresNode(node), null, cancellationToken)).Value;
        return entry is not null && KvJson.TryParse<PostgresNodeRecord>(entry, out var record, out _) && record.Role == PostgresRole.Fenced;
    }

    private async Task MarkFencedAsync(PostgresMasterRecord master, CancellationToken cancellationToken)
    {
        var key = keys.PostgresNode(node);
        var entry = (await kv.GetAsync(key, null, cancellationToken)).Value;
        var nodeId = entry is not null && KvJson.TryParse<PostgresNodeRecord>(entry, out var record, out _) ? record.NodeId : 0;
        if (nodeId == 0) return;
        var fenced = new PostgresNodeRecord { NodeId = nodeId, Role = PostgresRole.Fenced, Upstream = master.Node, Since = DateTimeOffset.UtcNow };
        await kv.PutAsync(key, KvJson.Serialize(fenced), entry!.ModifyIndex, cancellationToken);
        var transition = new Transition
        {
            Node = node, Service = "postgres", From = "PRIMARY", To = "FENCED", At = fenced.Since.Value,
            Details = $"{master.Node} is the registered master since {master.Since:O}; the local primary was stopped",
        };
        await kv.PutAsync(keys.Transition(transition.At, node, "postgres"), KvJson.Serialize(transition), 0, cancellationToken);
    }
}
