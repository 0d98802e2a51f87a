using System.Text.Json.Serialization;

namespace HaManager.Api.Status;

public sealed record TransitionStatus(
    [property: JsonPropertyName("at")] DateTimeOffset At,
    [property: JsonPropertyName("node")] string Node,
    [property: JsonPropertyName("service")] string Service,
    [property: JsonPropertyName("from")] string From,
    [property: JsonPropertyName("to")] string To,
    [property: JsonPropertyName("details")] string? Details);
