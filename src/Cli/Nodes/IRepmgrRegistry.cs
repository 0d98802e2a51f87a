using HaManager.Cluster.Model;

namespace HaManager.Cli.Nodes;

/// <summary>repmgr's metadata and the replication slots on the current primary.</summary>
public interface IRepmgrRegistry
{
    /// <summary>
    /// Deletes the node's rows from <c>repmgr.nodes</c> (by name, and by <paramref name="nodeId"/> when known) and drops
    /// its replication slots (<c>repmgr_slot_&lt;id&gt;</c>), ending a sender that still uses one. Idempotent.
    /// </summary>
    Task<RepmgrUnregistration> UnregisterAsync(PostgresMasterRecord primary, PostgresSecrets secrets, NodeName node, int? nodeId,
        CancellationToken cancellationToken);
}

/// <param name="NodeIds">The repmgr node ids whose rows were deleted (empty: there were none).</param>
/// <param name="DroppedSlots">The replication slots that were dropped.</param>
public sealed record RepmgrUnregistration(IReadOnlyList<int> NodeIds, IReadOnlyList<string> DroppedSlots)
{
    public bool ChangedAnything => NodeIds.Count > 0 || DroppedSlots.Count > 0;
}
