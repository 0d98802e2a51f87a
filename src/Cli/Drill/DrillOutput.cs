using System.Globalization;
using System.Text.Json;

namespace HaManager.Cli.Drill;

/// <summary>
/// Where a drill's steps and figures go: text on stdout, or with --json one object on stdout and the steps on stderr.
/// Steps carry the drill's clock; the switchover's own steps (with its clock) are indented under them.
/// </summary>
public sealed class DrillOutput(TextWriter output, TextWriter error, bool json, Func<TimeSpan> clock)
{
    private TextWriter Steps => json ? error : output;

    public void Step(string text) => Steps.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{clock().TotalSeconds,6:0.00} s] {text}"));

    public void Nested(string line) => Steps.WriteLine("            " + line);

    public void Warning(string text) => error.WriteLine($"hamanager: warning: {text}");

    public int Refused(string why)
    {
        error.WriteLine($"hamanager: drill refused: {why}. Nothing was changed.");
        if (json) WriteJson(new { outcome = DrillResult.Refused, error = why, exit_code = ExitCodes.Refused });
        return ExitCodes.Refused;
    }

    public int Failed(int code, string why)
    {
        error.WriteLine($"hamanager: error: drill failed: {why}");
        if (json) WriteJson(new { outcome = DrillResult.Failed, error = why, exit_code = code });
        return code;
    }

    public int Finished(DrillResult result)
    {
        if (json) WriteJson(result);
        else output.WriteLine($"failover drill ({Describe(result)}): {Summary(result)}");
        if (result.LostRows > 0) Warning($"{result.LostRows} acknowledged row(s) were lost");
        return ExitCodes.Ok;
    }

    /// <summary>The figures in one line, e.g. "RTO 3.1 s, longest gap 3.4 s, client errors 2, acknowledged rows lost 0 (of 1234)".</summary>
    public static string Summary(DrillResult result) => string.Create(CultureInfo.InvariantCulture,
        $"RTO {result.RtoSeconds:0.0} s, longest gap {result.LongestGapSeconds:0.0} s, client errors {result.ClientErrors}, acknowledged rows lost {result.LostRows} (of {result.AckedRows})");

    private static string Describe(DrillResult result) => result.Mode == HaManager.Cluster.Model.DrillRecord.KillPrimary
        ? $"primary {result.From} killed, {result.To ?? "?"} took over"
        : $"switchover from {result.From} to {result.To ?? "?"}";

    private void WriteJson(object value) => output.WriteLine(JsonSerializer.Serialize(value, CliJson.Options));
}
