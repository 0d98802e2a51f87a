using System.Text;
using HaManager.Api.Metrics;
using HaManager.Api.Status;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Tests.Support;
using HaManager.Watchers.Engine;
using HaManager.Watchers.Files;

namespace HaManager.Tests.Api.Metrics;

public sealed class ApiMetricsTests
{
    private TimeSpan? _clusterAge = TimeSpan.FromSeconds(1.5);

    [Fact]
    public async Task Write_AfterEverySource_ParsesStrictlyWithEverySeries()
    {
        var metrics = new ApiMetrics(() => _clusterAge);
        metrics.OnCluster(ClusterDocuments.ThreeNodes("n1", lagBytes: 128, transitions: [ClusterDocuments.Promotion("n1", 0)]));
        metrics.OnCycle(Report("pgbouncer", FileWriteOutcome.Written, reloaded: true));
        metrics.OnCycle(Report("pgbouncer", FileWriteOutcome.Unchanged, reloaded: false));
        metrics.OnCycle(Report("keepalived", FileWriteOutcome.Rejected, reloaded: false));
        metrics.OnLocal(consulHasLeader: true, spoolDepth: 2, invalidKeys: 1);

        var parsed = PrometheusText.Parse(await TextAsync(metrics));

        parsed.Value("hamanager_postgres_role", ("node", "n1"), ("role", "primary")).Should().Be(1);
        parsed.Value("hamanager_postgres_role", ("node", "n2"), ("role", "standby")).Should().Be(1);
        parsed.Value("hamanager_postgres_lag_bytes", ("node", "n3")).Should().Be(128);
        parsed.Series("hamanager_postgres_lag_bytes").Should().HaveCount(2, "the primary has no lag");
        parsed.Value("hamanager_vip_holder", ("node", "n1")).Should().Be(1);
        parsed.Value("hamanager_vip_holder", ("node", "n2")).Should().Be(0);
        parsed.Value("hamanager_transitions_total", ("service", "postgres"), ("from", "STANDBY"), ("to", "PRIMARY")).Should().Be(1);
        parsed.Value("hamanager_watcher_cycles_total", ("watcher", "pgbouncer")).Should().Be(2);
        parsed.Value("hamanager_watcher_renders_total", ("watcher", "pgbouncer")).Should().Be(1);
        parsed.Value("hamanager_watcher_reloads_total", ("watcher", "pgbouncer")).Should().Be(1);
        parsed.Value("hamanager_watcher_errors_total", ("watcher", "keepalived")).Should().Be(1);
        parsed.Value("hamanager_watcher_errors_total", ("watcher", "pgbouncer")).Should().BeNull();
        parsed.Value("hamanager_kv_invalid_keys").Should().Be(1);
        parsed.Value("hamanager_consul_agent_up").Should().Be(1);
        parsed.Value("hamanager_consul_leader_seen").Should().Be(1);
        parsed.Value("hamanager_notify_spool_depth").Should().Be(2);
        parsed.Value("hamanager_cluster_degraded").Should().Be(0);
        parsed.Value("hamanager_maintenance").Should().Be(0);
        parsed.Value("hamanager_cluster_document_age_seconds").Should().Be(1.5);
        parsed.Series("hamanager_last_failover_rto_seconds").Should().BeEmpty("no drill was run");
        parsed.Types["hamanager_transitions_total"].Should().Be("counter");
        parsed.Types["hamanager_postgres_role"].Should().Be("gauge");
        parsed.Series("process_cpu_seconds_total").Should().ContainSingle("process metrics come with it");
    }

    [Fact]
    public async Task OnCluster_MaintenanceWindowOpen_IsExposed()
    {
        var metrics = new ApiMetrics(() => _clusterAge, processMetrics: false);
        var document = ClusterDocuments.ThreeNodes("n1");
        document = document with { Status = document.Status with { Maintenance = new("ops@n1", "upgrade", DateTimeOffset.UtcNow, null) } };
        metrics.OnCluster(document);

        PrometheusText.Parse(await TextAsync(metrics)).Value("hamanager_maintenance").Should().Be(1);
    }

    [Fact]
    public async Task OnCluster_PrimaryMoves_RoleSeriesFollowAndTheTransitionCounterGoesUp()
    {
        var metrics = new ApiMetrics(() => _clusterAge, processMetrics: false);
        metrics.OnCluster(ClusterDocuments.ThreeNodes("n1", transitions: [ClusterDocuments.Promotion("n1", 0)]));
        metrics.OnCluster(ClusterDocuments.ThreeNodes("n2", transitions: [ClusterDocuments.Promotion("n1", 0), ClusterDocuments.Promotion("n2", 5)]));

        var parsed = PrometheusText.Parse(await TextAsync(metrics));
        parsed.Value("hamanager_postgres_role", ("node", "n1"), ("role", "primary")).Should().BeNull("a role the node no longer has is removed");
        parsed.Value("hamanager_postgres_role", ("node", "n1"), ("role", "standby")).Should().Be(1);
        parsed.Value("hamanager_postgres_role", ("node", "n2"), ("role", "primary")).Should().Be(1);
        parsed.Value("hamanager_vip_holder", ("node", "n2")).Should().Be(1);
        parsed.Value("hamanager_transitions_total", ("service", "postgres"), ("from", "STANDBY"), ("to", "PRIMARY")).Should().Be(2);
    }

    [Fact]
    public async Task OnCluster_DrillRecorded_ExposesItsRto()
    {
        var metrics = new ApiMetrics(() => null, processMetrics: false);
        var drill = new DrillRecord { At = ClusterDocuments.Start, Mode = DrillRecord.Switchover, FromNode = NodeName.Parse("n1"), ToNode = NodeName.Parse("n2"), RtoSeconds = 3.25, LostRows = 0 };
        metrics.OnCluster(ClusterDocuments.ThreeNodes("n2", drill: drill));
        var parsed = PrometheusText.Parse(await TextAsync(metrics));
        parsed.Value("hamanager_last_failover_rto_seconds").Should().Be(3.25);
        parsed.Series("hamanager_cluster_document_age_seconds").Should().BeEmpty("the age is unknown: the callback said none");
    }

    [Fact]
    public void DrillRecord_RoundTripsThroughKvJson_WithSnakeCaseFields()
    {
        var drill = new DrillRecord { At = ClusterDocuments.Start, Mode = DrillRecord.KillPrimary, FromNode = NodeName.Parse("n1"), RtoSeconds = 4.5, LongestGapSeconds = 4.1, ClientErrors = 3, LostRows = 0 };
        var json = Encoding.UTF8.GetString(KvJson.Serialize(drill));
        json.Should().Contain("\"rto_seconds\":4.5").And.Contain("\"mode\":\"kill-primary\"");
        KvJson.TryParse<DrillRecord>("hamanager/drills/x", Encoding.UTF8.GetBytes(json.Replace("kill-primary", "chaos")), out _, out var error).Should().BeFalse();
        error!.ToString().Should().Contain("mode 'chaos'");
    }

    private static WatcherCycleReport Report(string watcher, FileWriteOutcome outcome, bool reloaded) =>
        new(watcher, WatchOutput.Ready([], "test"), [new FileWriteResult($"/etc/{watcher}.conf", outcome)], reloaded, $"{watcher}: test");

    private static async Task<string> TextAsync(ApiMetrics metrics)
    {
        using var output = new MemoryStream();
        await metrics.WriteAsync(output, CancellationToken.None);
        return Encoding.UTF8.GetString(output.ToArray());
    }
}
