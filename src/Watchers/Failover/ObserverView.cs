using System.Text.Json.Serialization;

namespace HaManager.Watchers.Failover;

/// <summary>
/// What one node sees of the primary and of its own database, as its failure detector knows it right
/// now. Served to the other nodes' detectors (GET /v1/observer), which count it as a vote.
/// </summary>
public sealed record ObserverView
{
    public const string Primary = "primary";
    public const string Standby = "standby";
    public const string Stopped = "stopped";

    [JsonPropertyName("node")] public required string Node { get; init; }
    /// <summary>The primary this node knows from KV; null before it has read KV.</summary>
    [JsonPropertyName("primary")] public string? PrimaryNode { get; init; }
    [JsonPropertyName("primary_reachable")] public bool PrimaryReachable { get; init; }
    /// <summary>How long the primary has not answered this node's probes; null while it answers.</summary>
    [JsonPropertyName("primary_unreachable_ms")] public long? PrimaryUnreachableMilliseconds { get; init; }
    /// <summary>primary, standby or stopped: what the local PostgreSQL says it is.</summary>
    [JsonPropertyName("role")] public required string Role { get; init; }
    /// <summary>Standby: WAL received (what its promotion would have); primary: its current position.</summary>
    [JsonPropertyName("lsn")] public string? Lsn { get; init; }
    [JsonPropertyName("timeline")] public int Timeline { get; init; }
    [JsonPropertyName("priority")] public int Priority { get; init; }
    [JsonPropertyName("upstream")] public string? Upstream { get; init; }
}
