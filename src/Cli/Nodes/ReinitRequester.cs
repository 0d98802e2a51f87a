using System.Security.Cryptography;
using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;

namespace HaManager.Cli.Nodes;

/// <summary>
/// `hamanager node reinit`'s half: writes the re-clone request for the target node's watcher and waits for its
/// outcome. A request that is still pending is joined, not repeated, so running the command twice re-clones once.
/// </summary>
public sealed class ReinitRequester(IKvStore kv, KvKeys keys, TimeProvider clock)
{
    private const int CasAttempts = 3;
    private static readonly TimeSpan PollWait = TimeSpan.FromSeconds(5);

    /// <returns>The request now in KV and whether this call wrote it (false: an earlier one is still pending).</returns>
    public async Task<(ReinitRequestRecord Request, bool Created)> RequestAsync(NodeName node, string by, CancellationToken cancellationToken)
    {
        await RefuseUnsafeAsync(node, cancellationToken);
        var key = keys.PostgresReinit(node);
        for (var attempt = 0; attempt < CasAttempts; attempt++)
        {
            var entry = (await kv.GetAsync(key, null, cancellationToken)).Value;
            if (entry is not null && KvJson.TryParse<ReinitRequestRecord>(entry, out var pending, out _) && !pending.IsFinished) return (pending, false);
            var request = new ReinitRequestRecord
            {
                Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), State = ReinitState.Requested, RequestedBy = by, RequestedAt = clock.GetUtcNow(),
            };
            if (await kv.PutAsync(key, KvJson.Serialize(request), entry?.ModifyIndex ?? 0, cancellationToken)) return (request, true);
        }

        throw new KvContentionException(key, CasAttempts);
    }

    /// <summary>Blocks on the record until this request is finished or <paramref name="timeout"/> has passed (then null).</summary>
    /// <param name="changed">Told each new state of the request (Running, then Done or Failed).</param>
    public async Task<ReinitRequestRecord?> WaitAsync(NodeName node, string id, TimeSpan timeout, Action<ReinitRequestRecord> changed, CancellationToken cancellationToken)
    {
        var key = keys.PostgresReinit(node);
        var deadline = clock.GetUtcNow() + timeout;
        ulong index = 0;
        ReinitState? seen = null;
        while (clock.GetUtcNow() < deadline)
        {
            var result = await kv.GetAsync(key, new QueryOptions { WaitIndex = index, WaitTime = PollWait }, cancellationToken);
            index = result.Index;
            if (result.Value is null) throw new InvalidOperationException($"'{key}' was deleted while waiting for {node}'s re-clone");
            if (!KvJson.TryParse<ReinitRequestRecord>(result.Value, out var record, out var error)) throw new KvValueException(error);
            if (record.Id != id) throw new InvalidOperationException($"'{key}' now holds another request ({record.Id}, by {record.RequestedBy})");
            if (record.State != seen) changed(record);
            seen = record.State;
            if (record.IsFinished) return record;
        }

        return null;
    }

    private async Task RefuseUnsafeAsync(NodeName node, CancellationToken cancellationToken)
    {
        if ((await kv.GetAsync(keys.Node(node), null, cancellationToken)).Value is null)
            throw new NodeRequestRefusedException($"{node} is not a registered node (no '{keys.Node(node)}')");
        var postgres = (await kv.GetAsync(keys.PostgresNode(node), null, cancellationToken)).Value;
        if (postgres is null || !KvJson.TryParse<PostgresNodeRecord>(postgres, out _, out _))
            throw new NodeRequestRefusedException($"{node} has no valid repmgr registration at '{keys.PostgresNode(node)}' to re-clone with");
        var master = (await kv.GetAsync(keys.PostgresMaster, null, cancellationToken)).Value;
        if (master is null || !KvJson.TryParse<PostgresMasterRecord>(master, out var primary, out _))
            throw new NodeRequestRefusedException($"no valid primary is registered at '{keys.PostgresMaster}' to clone from");
        if (primary.Node == node)
            throw new NodeRequestRefusedException($"{node} is the current PostgreSQL primary: a primary is never re-cloned (move the primary first with hamanager switchover)");
    }
}
