using System.Text.Json.Serialization;

namespace HaManager.Cli.Commands;

/// <summary>`node remove --json`. result ∈ removed, nothing_to_do, refused.</summary>
public sealed record NodeRemoveResult(
    [property: JsonPropertyName("node")] string Node,
    [property: JsonPropertyName("result")] string Result,
    [property: JsonPropertyName("refusals")] IReadOnlyList<string> Refusals,
    [property: JsonPropertyName("steps")] IReadOnlyList<string> Steps,
    [property: JsonPropertyName("remaining")] IReadOnlyList<string> Remaining);
