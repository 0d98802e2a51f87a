using System.Text.Json.Serialization;

namespace HaManager.Cli.Commands;

/// <summary>`node reinit --json`. state ∈ done, failed, pending (not finished within --timeout).</summary>
public sealed record NodeReinitResult(
    [property: JsonPropertyName("node")] string Node,
    [property: JsonPropertyName("request_id")] string RequestId,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("requested_by")] string RequestedBy,
    [property: JsonPropertyName("outcome")] string? Outcome);
