using System.Text.Json.Serialization;

namespace HaManager.Cli.Switchover;

public sealed record SwitchoverStep(
    [property: JsonPropertyName("at_seconds")] double AtSeconds,
    [property: JsonPropertyName("step")] string Step);

/// <summary>`hamanager switchover --json` (docs/operations.md).</summary>
/// <param name="Outcome">switched, refused, rolled_back or failed.</param>
/// <param name="PausedSeconds">From the first PAUSE to the last RESUME: how long clients waited.</param>
/// <param name="Settled">Every other node streams from the new primary and the VIP is on it (null when not switched).</param>
public sealed record SwitchoverResult(
    [property: JsonPropertyName("outcome")] string Outcome,
    [property: JsonPropertyName("from")] string? From,
    [property: JsonPropertyName("to")] string? To,
    [property: JsonPropertyName("paused_seconds")] double? PausedSeconds,
    [property: JsonPropertyName("total_seconds")] double TotalSeconds,
    [property: JsonPropertyName("settled")] bool? Settled,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("steps")] IReadOnlyList<SwitchoverStep> Steps)
{
    public const string Switched = "switched";
    public const string Refused = "refused";
    public const string RolledBack = "rolled_back";
    public const string FailedOutcome = "failed";
}
