using System.Net;

namespace HaManager.Cluster.Model;

/// <summary>Where a node's pgbouncer currently sends clients, as that node last rendered it (<c>pgbouncer/nodes/&lt;name&gt;</c>).</summary>
public sealed record PgbouncerNodeRecord : IKvRecord
{
    public required NodeName TargetNode { get; init; }
    public required IPAddress TargetHost { get; init; }
    public required DateTimeOffset Since { get; init; }

    public IEnumerable<string> Validate() => [];
}
