using System.Globalization;
using System.Text.Json;

namespace HaManager.Cli.Switchover;

/// <summary>Where a switchover's steps and outcome go: text on stdout, or with --json one object on stdout and the steps on stderr.</summary>
public sealed class SwitchoverOutput(TextWriter output, TextWriter error, bool json)
{
    public void Step(string line) => (json ? error : output).WriteLine(line);

    public int Refused(SwitchoverDecision decision, string? target)
    {
        error.WriteLine($"hamanager: switchover refused: {decision.Refusal}");
        if (json) output.WriteLine(JsonSerializer.Serialize(new SwitchoverResult(SwitchoverResult.Refused, decision.From, target, null, 0, null, decision.Refusal, []), CliJson.Options));
        return ExitCodes.Refused;
    }

    public int Finished(SwitchoverResult result)
    {
        if (json) output.WriteLine(JsonSerializer.Serialize(result, CliJson.Options));
        var paused = result.PausedSeconds is { } p ? string.Create(CultureInfo.InvariantCulture, $"clients paused {p:0.00} s, ") : string.Empty;
        var total = string.Create(CultureInfo.InvariantCulture, $"{result.TotalSeconds:0.00} s in all");
        switch (result.Outcome)
        {
            case SwitchoverResult.Switched:
                if (!json) output.WriteLine($"switched over from {result.From} to {result.To}: {paused}{total}");
                if (result.Error is not null) error.WriteLine($"hamanager: warning: {result.Error}");
                if (result.Settled == false) error.WriteLine("hamanager: warning: the cluster had not settled (see the steps above); check `hamanager status`");
                return result.Settled == false ? ExitCodes.Degraded : ExitCodes.Ok;
            case SwitchoverResult.RolledBack:
                error.WriteLine($"hamanager: switchover rolled back, {result.From} is still the primary: {result.Error} ({paused}{total})");
                return ExitCodes.RolledBack;
            case SwitchoverResult.Refused:
                error.WriteLine($"hamanager: switchover refused: {result.Error}");
                return ExitCodes.Refused;
            default:
                error.WriteLine($"hamanager: error: switchover failed: {result.Error} ({paused}{total})");
                return ExitCodes.Failed;
        }
    }
}
