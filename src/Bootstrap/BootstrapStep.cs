using System.Text.Json.Serialization;

namespace HaManager.Bootstrap;

/// <summary>One step of a bootstrap as `bootstrap --json` reports it; Seconds counts from the start of the run.</summary>
public sealed record BootstrapStep(
    [property: JsonPropertyName("step")] int Number,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("result")] string? Result,
    [property: JsonPropertyName("seconds")] double Seconds);
