using HaManager.Cluster;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Watchers.Engine;

namespace HaManager.Watchers.Failover;

/// <summary>The records the failover code reads from a snapshot (already free of invalid values), parsed once.</summary>
public sealed record ClusterFacts(
    PostgresMasterRecord? Master,
    ulong MasterIndex,
    IReadOnlyDictionary<string, NodeRecord> Nodes,
    IReadOnlyDictionary<string, PostgresNodeRecord> PostgresNodes,
    IReadOnlyDictionary<string, KeepalivedNodeRecord> Priorities)
{
    public static ClusterFacts From(KvSnapshot snapshot)
    {
        var keys = snapshot.Keys;
        var errors = new List<KvValueError>();
        return new ClusterFacts(
            snapshot.Parse<PostgresMasterRecord>(keys.PostgresMaster, errors),
            snapshot.Get(keys.PostgresMaster)?.ModifyIndex ?? 0,
            snapshot.ParseRegisteredNodes(errors),
            snapshot.ParseNodes<PostgresNodeRecord>(keys.PostgresNodesPrefix, errors),
            snapshot.ParseNodes<KeepalivedNodeRecord>(keys.KeepalivedNodesPrefix, errors));
    }

    /// <summary>The master, only when KV can vouch for it: a registered node at the address it registered.</summary>
    public PostgresMasterRecord? VouchedMaster =>
        Master is not null && Nodes.TryGetValue(Master.Node.Value, out var node) && node.Address.Equals(Master.Host) ? Master : null;

    public int Priority(NodeName node) => Priorities.TryGetValue(node.Value, out var record) ? record.Priority : 0;

    public int? NodeId(NodeName node) => PostgresNodes.TryGetValue(node.Value, out var record) ? record.NodeId : null;
}
