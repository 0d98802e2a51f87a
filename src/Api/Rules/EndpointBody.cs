using System.Text.Json.Serialization;

namespace HaManager.Api.Rules;

/// <summary>The small JSON answer of /primary, /replica and /health: the verdict, one sentence why, and what it was based on.</summary>
/// <param name="Role">What the local PostgreSQL says it is: primary, standby, stopped (not answering) or unknown (not read, or too long ago).</param>
/// <param name="RegisteredPrimary">The primary KV names, as this node last knew it.</param>
/// <param name="Streaming">/replica: whether the standby's WAL receiver streams.</param>
/// <param name="LagBytes">/replica: the replay lag the primary reports for this node.</param>
/// <param name="Services">/health: each local service and whether it runs.</param>
public sealed record EndpointBody(
    [property: JsonPropertyName("node")] string Node,
    [property: JsonPropertyName("ok")] bool Ok,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("registered_primary")] string? RegisteredPrimary,
    [property: JsonPropertyName("age_ms")] DataAges AgeMilliseconds)
{
    [JsonPropertyName("streaming")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Streaming { get; init; }

    [JsonPropertyName("lag_bytes")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? LagBytes { get; init; }

    [JsonPropertyName("max_lag_bytes")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? MaxLagBytes { get; init; }

    [JsonPropertyName("services")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, bool>? Services { get; init; }
}
