using System.Text.Json.Serialization;

namespace HaManager.Cli.Status;

public sealed record ClusterStatus(
    [property: JsonPropertyName("virtual_ip")] string? VirtualIp,
    [property: JsonPropertyName("vip_holder")] string? VipHolder,
    [property: JsonPropertyName("nodes")] IReadOnlyList<NodeStatus> Nodes,
    [property: JsonPropertyName("transitions")] IReadOnlyList<TransitionStatus> Transitions,
    [property: JsonPropertyName("degraded")] bool Degraded,
    [property: JsonPropertyName("problems")] IReadOnlyList<string> Problems);
