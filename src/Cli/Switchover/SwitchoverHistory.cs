using System.Globalization;
using HaManager.Cluster;
using HaManager.Cluster.Consul;

namespace HaManager.Cli.Switchover;

/// <summary>
/// One transition per switchover in KV history (service "switchover", from the old to the new primary), with its
/// timings; the promotion, the fence and the re-points are recorded by the watchers that did them.
/// </summary>
public static class SwitchoverHistory
{
    public static async Task RecordAsync(IKvStore kv, KvKeys keys, SwitchoverPlan plan, SwitchoverResult result, CancellationToken cancellationToken)
    {
        var details = string.Create(CultureInfo.InvariantCulture,
            $"planned switchover requested by {plan.By}: {result.Outcome}; clients paused {result.PausedSeconds?.ToString("0.00", CultureInfo.InvariantCulture) ?? "-"} s, {result.TotalSeconds:0.00} s in all");
        if (result.Error is { } error) details += "; " + error;
        var to = result.Outcome == SwitchoverResult.Switched ? plan.To.Value : result.Outcome.Replace('_', '-');
        // The watchers recorded their own steps whether or not this note gets in.
        await HistoryNote.AppendAsync(kv, keys, plan.To, "switchover", plan.From.Value, to, details, DateTimeOffset.UtcNow, cancellationToken);
    }
}
