using System.Globalization;
using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;

namespace HaManager.Cli.Switchover;

/// <summary>
/// One transition per switchover in KV history (service "switchover", from the old to the new primary), with its
/// timings; the promotion, the fence and the re-points are recorded by the watchers that did them.
/// </summary>
public static class SwitchoverHistory
{
    public static async Task RecordAsync(IKvStore kv, KvKeys keys, SwitchoverPlan plan, SwitchoverResult result, CancellationToken cancellationToken)
    {
        var at = DateTimeOffset.UtcNow;
        var details = string.Create(CultureInfo.InvariantCulture,
            $"planned switchover requested by {plan.By}: {result.Outcome}; clients paused {result.PausedSeconds?.ToString("0.00", CultureInfo.InvariantCulture) ?? "-"} s, {result.TotalSeconds:0.00} s in all");
        if (result.Error is { } error) details += "; " + error;
        var transition = new Transition
        {
            Node = plan.To, Service = "switchover", From = plan.From.Value, At = at,
            To = result.Outcome == SwitchoverResult.Switched ? plan.To.Value : result.Outcome.Replace('_', '-'),
            Details = details.Length <= Transition.MaxDetailsLength ? details : details[..Transition.MaxDetailsLength],
        };
        try
        {
            await kv.PutAsync(keys.Transition(at, plan.To, "switchover"), KvJson.Serialize(transition), 0, cancellationToken);
        }
        catch (ConsulException)
        {
            // History is for people; the switchover's outcome stands, and the watchers recorded their own steps.
        }
    }
}
