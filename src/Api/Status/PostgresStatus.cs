using System.Text.Json.Serialization;

namespace HaManager.Api.Status;

/// <param name="Role">primary, standby, fenced or unknown — read live from the node where possible.</param>
/// <param name="LagBytes">Replay lag behind the primary, for a standby the primary reports.</param>
public sealed record PostgresStatus(
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("upstream")] string? Upstream,
    [property: JsonPropertyName("lag_bytes")] long? LagBytes,
    [property: JsonPropertyName("node_id")] int? NodeId);
