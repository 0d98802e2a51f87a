using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;

namespace HaManager.Cli.Nodes;

/// <summary>Everything the cluster still holds of one node: its KV records, its Raft seat and gossip membership, and the facts the refusal rules need.</summary>
/// <param name="Keys">The node's KV keys that exist (in removal order).</param>
/// <param name="Others">The other registered nodes (valid records under <c>nodes/</c>), by name.</param>
public sealed record NodeFootprint(
    NodeName Node,
    IReadOnlyList<string> Keys,
    NodeRecord? Record,
    int? RepmgrNodeId,
    RaftServer? RaftServer,
    AgentMember? Member,
    PostgresMasterRecord? Master,
    IReadOnlyList<string> Others)
{
    public bool IsEmpty => Keys.Count == 0 && RaftServer is null && Member is null;

    public bool IsPrimary => Master?.Node == Node;

    public static async Task<NodeFootprint> ReadAsync(IKvStore kv, KvKeys keys, IClusterMembership membership, NodeName node, CancellationToken cancellationToken)
    {
        string[] candidates =
        [
            keys.PostgresReinit(node), keys.PgbouncerNode(node), keys.SyncthingDevice(node), keys.KeepalivedNode(node), keys.PostgresNode(node), keys.Node(node),
        ];
        var present = new List<string>();
        foreach (var key in candidates)
        {
            if ((await kv.GetAsync(key, null, cancellationToken)).Value is not null) present.Add(key);
        }

        var record = await ParseAsync<NodeRecord>(kv, keys.Node(node), cancellationToken);
        var postgres = await ParseAsync<PostgresNodeRecord>(kv, keys.PostgresNode(node), cancellationToken);
        var master = await ParseAsync<PostgresMasterRecord>(kv, keys.PostgresMaster, cancellationToken);
        var others = (await kv.ListAsync(keys.NodesPrefix, null, cancellationToken)).Value
            .Where(e => KvJson.TryParse<NodeRecord>(e, out var r, out _) && r.Name != node && KvKeys.LastSegment(e.Key, keys.NodesPrefix) == r.Name.Value)
            .Select(e => KvKeys.LastSegment(e.Key, keys.NodesPrefix))
            .ToList();
        var raft = (await membership.RaftServersAsync(cancellationToken)).FirstOrDefault(s => s.Node == node.Value || IsAt(s, record));
        var member = (await membership.MembersAsync(cancellationToken)).FirstOrDefault(m => m.Name == node.Value);
        return new NodeFootprint(node, present, record, postgres?.NodeId, raft, member, master, others);
    }

    private static bool IsAt(RaftServer server, NodeRecord? record) =>
        record is not null && server.Address.StartsWith(record.Address + ":", StringComparison.Ordinal);

    private static async Task<T?> ParseAsync<T>(IKvStore kv, string key, CancellationToken cancellationToken) where T : class, IKvRecord
    {
        var entry = (await kv.GetAsync(key, null, cancellationToken)).Value;
        return entry is not null && KvJson.TryParse<T>(entry, out var record, out _) ? record : null;
    }
}
