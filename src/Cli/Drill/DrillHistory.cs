using System.Globalization;
using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;

namespace HaManager.Cli.Drill;

/// <summary>
/// What a drill leaves in KV: its figures as a <see cref="DrillRecord"/> under <c>drills/</c> (the newest one's RTO is
/// /metrics' last failover RTO), and one transition (service "drill") so `hamanager history` shows it among the
/// promotions and fences the watchers recorded. A drill that failed gets the transition only: it has no RTO to publish.
/// </summary>
public static class DrillHistory
{
    public static async Task<DrillRecord> RecordAsync(IKvStore kv, KvKeys keys, DrillResult result, string by, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var record = new DrillRecord
        {
            At = at, Mode = result.Mode, FromNode = NodeName.Parse(result.From), ToNode = result.To is null ? null : NodeName.Parse(result.To),
            RtoSeconds = result.RtoSeconds, LongestGapSeconds = result.LongestGapSeconds, ClientErrors = result.ClientErrors, LostRows = result.LostRows,
        };
        await kv.PutAsync(keys.Drill(at), KvJson.Serialize(record), 0, cancellationToken);
        var details = $"{result.Mode} drill by {by}: " + DrillOutput.Summary(result);
        await HistoryNote.AppendAsync(kv, keys, record.ToNode ?? record.FromNode, "drill", result.From, result.To ?? "unknown", details, at, cancellationToken);
        return record;
    }

    public static Task RecordFailureAsync(IKvStore kv, KvKeys keys, string mode, NodeName from, string by, string why, DateTimeOffset at, CancellationToken cancellationToken) =>
        HistoryNote.AppendAsync(kv, keys, from, "drill", from.Value, DrillResult.Failed,
            string.Create(CultureInfo.InvariantCulture, $"{mode} drill by {by} failed: {why}"), at, cancellationToken);
}
