namespace HaManager.Cluster.Model;

/// <summary>A node's repmgr registration, under <c>postgres/nodes/&lt;name&gt;</c>.</summary>
public sealed record PostgresNodeRecord : IKvRecord
{
    public required int NodeId { get; init; }
    public required PostgresRole Role { get; init; }
    public NodeName? Upstream { get; init; }
    public DateTimeOffset? Since { get; init; }

    public IEnumerable<string> Validate()
    {
        if (NodeId < 1) yield return $"node_id {NodeId} must be positive";
    }
}
