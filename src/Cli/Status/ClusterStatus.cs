using System.Text.Json.Serialization;

namespace HaManager.Cli.Status;

/// <summary>`hamanager status --json`: the stable, documented shape (docs/operations.md).</summary>
public sealed record ClusterStatus(
    [property: JsonPropertyName("virtual_ip")] string? VirtualIp,
    [property: JsonPropertyName("vip_holder")] string? VipHolder,
    [property: JsonPropertyName("nodes")] IReadOnlyList<NodeStatus> Nodes,
    [property: JsonPropertyName("transitions")] IReadOnlyList<TransitionStatus> Transitions,
    [property: JsonPropertyName("degraded")] bool Degraded,
    [property: JsonPropertyName("problems")] IReadOnlyList<string> Problems);

public sealed record NodeStatus(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("address")] string? Address,
    [property: JsonPropertyName("joined_at")] DateTimeOffset? JoinedAt,
    [property: JsonPropertyName("version")] string? Version,
    [property: JsonPropertyName("keepalived")] KeepalivedStatus Keepalived);

public sealed record KeepalivedStatus(
    [property: JsonPropertyName("priority")] int? Priority,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("since")] DateTimeOffset? Since);

public sealed record TransitionStatus(
    [property: JsonPropertyName("at")] DateTimeOffset At,
    [property: JsonPropertyName("node")] string Node,
    [property: JsonPropertyName("service")] string Service,
    [property: JsonPropertyName("from")] string From,
    [property: JsonPropertyName("to")] string To,
    [property: JsonPropertyName("details")] string? Details);
