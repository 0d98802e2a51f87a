using System.Text.Json;
using System.Text.Json.Serialization;

namespace HaManager.Api.Status;

/// <summary>`hamanager status --json`: the stable, documented shape (docs/operations.md).</summary>
public sealed record ClusterStatus(
    [property: JsonPropertyName("virtual_ip")] string? VirtualIp,
    [property: JsonPropertyName("vip_holder")] string? VipHolder,
    [property: JsonPropertyName("postgres_master")] string? PostgresMaster,
    [property: JsonPropertyName("syncthing_seen_from")] string? SyncthingSeenFrom,
    [property: JsonPropertyName("nodes")] IReadOnlyList<NodeStatus> Nodes,
    [property: JsonPropertyName("transitions")] IReadOnlyList<TransitionStatus> Transitions,
    [property: JsonPropertyName("degraded")] bool Degraded,
    [property: JsonPropertyName("problems")] IReadOnlyList<string> Problems)
{
    /// <summary>What this run could not look at and why (e.g. syncthing, from a machine that is not a node); not problems of the cluster.</summary>
    [JsonPropertyName("notes")]
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>The open maintenance window (HaManager's automatic decisions are paused); null when there is none or it has ended.</summary>
    [JsonPropertyName("maintenance")]
    public MaintenanceStatus? Maintenance { get; init; }

    /// <summary>How `status --json` and `GET /cluster` both write it, so the two are the same document.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new() { WriteIndented = true };
}
