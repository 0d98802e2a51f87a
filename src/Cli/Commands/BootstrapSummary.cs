using HaManager.Bootstrap;

namespace HaManager.Cli.Commands;

/// <summary>What `bootstrap --json` prints once it is over, whether it succeeded or not (docs/operations.md).</summary>
public sealed class BootstrapSummary
{
    public string? Node { get; set; }
    public string? Mode { get; set; }
    public BootstrapProgress? Progress { get; set; }
    public int ExitCode { get; set; }
    public string? Error { get; set; }

    public BootstrapSummaryJson ToJson() => new(
        Node, Mode, ExitCode == ExitCodes.Ok ? "bootstrapped" : "failed", ExitCode, Error,
        Error is null ? null : Progress?.CurrentStep,
        Progress?.Steps ?? [], Math.Round(Progress?.Elapsed.TotalSeconds ?? 0, 2));
}
