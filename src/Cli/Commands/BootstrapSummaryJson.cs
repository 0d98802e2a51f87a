using System.Text.Json.Serialization;
using HaManager.Bootstrap;

namespace HaManager.Cli.Commands;

/// <param name="FailedStep">The step that was running when bootstrap failed; null on success or when it failed before the first step.</param>
public sealed record BootstrapSummaryJson(
    [property: JsonPropertyName("node")] string? Node,
    [property: JsonPropertyName("mode")] string? Mode,
    [property: JsonPropertyName("outcome")] string Outcome,
    [property: JsonPropertyName("exit_code")] int ExitCode,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("failed_step")] string? FailedStep,
    [property: JsonPropertyName("steps")] IReadOnlyList<BootstrapStep> Steps,
    [property: JsonPropertyName("seconds")] double Seconds);
