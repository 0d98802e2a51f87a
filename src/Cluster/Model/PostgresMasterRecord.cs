using System.Net;

namespace HaManager.Cluster.Model;

/// <summary>
/// The current PostgreSQL primary, under <c>postgres/master</c>. Changed only by CAS on its ModifyIndex.
/// Promotions are ordered by <see cref="Timeline"/> (PostgreSQL's timeline id, one higher after every
/// promotion), never by <see cref="Since"/>: that is one machine's clock, for people only.
/// </summary>
public sealed record PostgresMasterRecord : IKvRecord
{
    public required NodeName Node { get; init; }
    public required IPAddress Host { get; init; }
    public required int Port { get; init; }
    public required int NodeId { get; init; }
    public required DateTimeOffset Since { get; init; }
    /// <summary>The primary's timeline when it was registered; null in records written before timelines were recorded.</summary>
    public int? Timeline { get; init; }

    public IEnumerable<string> Validate()
    {
        if (Port is < 1 or > 65535) yield return $"port {Port} is outside 1-65535";
        if (NodeId is < 1 or > 2147483647) yield return $"node_id {NodeId} must be positive";
        if (Timeline is < 1) yield return $"timeline {Timeline} must be positive";
    }
}
