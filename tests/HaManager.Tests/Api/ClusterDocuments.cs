using HaManager.Api.Status;
using HaManager.Cluster.Model;

namespace HaManager.Tests.Api;

/// <summary>Cluster documents as `status --json` would give them, for fakes of the cluster read.</summary>
internal static class ClusterDocuments
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>n1..n3 with <paramref name="primary"/> as PostgreSQL primary and VIP holder; the standbys stream from it.</summary>
    public static ClusterSnapshot ThreeNodes(string primary, long lagBytes = 0, IReadOnlyList<TransitionStatus>? transitions = null, DrillRecord? drill = null)
    {
        var nodes = new[] { "n1", "n2", "n3" }.Select((name, i) =>
        {
            var isPrimary = name == primary;
            return new NodeStatus(name, $"10.231.0.{11 + i}", true, Start, "0.1.0",
                new KeepalivedStatus(150 - 10 * i, isPrimary ? "MASTER" : "BACKUP", Start),
                new PostgresStatus(isPrimary ? "primary" : "standby", isPrimary ? null : primary, isPrimary ? null : lagBytes, i + 1),
                new PgbouncerStatus(primary),
                new SyncthingStatus($"DEVICE{i + 1}", name == "n1" ? null : true, new Dictionary<string, double?> { ["resources"] = 100 }));
        }).ToList();
        transitions ??= [];
        var status = new ClusterStatus("10.231.0.100/24", primary, primary, "n1", nodes, transitions, false, []);
        var counts = transitions.GroupBy(t => (t.Service, t.From, t.To)).Select(g => new TransitionCount(g.Key.Service, g.Key.From, g.Key.To, g.Count())).ToList();
        return new ClusterSnapshot(status, counts, drill);
    }

    public static TransitionStatus Promotion(string node, int minute) =>
        new(Start.AddMinutes(minute), node, "postgres", "STANDBY", "PRIMARY", $"promoted {node} after the primary was silent for 3.1 s");
}
