using HaManager.Api.Status;
using HaManager.Watchers.Engine;
using Prometheus;

namespace HaManager.Api.Metrics;

/// <summary>
/// The Prometheus metrics of `GET /metrics`, in a registry of their own (no global state: several servers
/// can live in one test process). Cluster-wide series come from the cluster document (each node exports
/// the same view of the cluster); watcher counters from this node's render cycles; the rest from this node.
/// </summary>
public sealed class ApiMetrics
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly CollectorRegistry _registry = Prometheus.Metrics.NewCustomRegistry();
    private readonly Gauge _role;
    private readonly Gauge _lag;
    private readonly Gauge _vipHolder;
    private readonly Gauge _degraded;
    private readonly Gauge _problems;
    private readonly Gauge _maintenance;
    private readonly Counter _transitions;
    private readonly Gauge _lastFailoverRto;
    private readonly Counter _cycles;
    private readonly Counter _renders;
    private readonly Counter _reloads;
    private readonly Counter _errors;
    private readonly Gauge _invalidKeys;
    private readonly Gauge _consulUp;
    private readonly Gauge _consulLeader;
    private readonly Gauge _spoolDepth;
    private readonly Gauge _clusterAge;
    private readonly object _gate = new();
    private bool _rtoPublished;

    /// <param name="clusterAge">Asked at each scrape: how old the cluster document is (null: none yet).</param>
    public ApiMetrics(Func<TimeSpan?> clusterAge, bool processMetrics = true)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(_registry);
        _role = factory.CreateGauge("hamanager_postgres_role", "1 for the role each node's PostgreSQL has (primary, standby, fenced, unknown).", "node", "role");
        _lag = factory.CreateGauge("hamanager_postgres_lag_bytes", "Replay lag of each standby, as the primary reports it.", "node");
        _vipHolder = factory.CreateGauge("hamanager_vip_holder", "1 on the node that holds the virtual IP (the single keepalived MASTER), 0 on the others.", "node");
        // Absent until the first cluster document: a 0 would claim a healthy cluster nobody has looked at.
        var untilSet = new GaugeConfiguration { SuppressInitialValue = true };
        _degraded = factory.CreateGauge("hamanager_cluster_degraded", "1 when `hamanager status` would call the cluster degraded.", untilSet);
        _problems = factory.CreateGauge("hamanager_cluster_problems", "Problems `hamanager status` lists.", untilSet);
        _maintenance = factory.CreateGauge("hamanager_maintenance", "1 while a maintenance window pauses automatic failover, fencing and VIP moves.", untilSet);
        _transitions = factory.CreateCounter("hamanager_transitions_total", "Role changes recorded in KV history (cluster-wide), by service, from and to.", "service", "from", "to");
        _lastFailoverRto = factory.CreateGauge("hamanager_last_failover_rto_seconds", "RTO measured by the newest failover drill (`hamanager drill`); absent when none was run.", untilSet);
        _cycles = factory.CreateCounter("hamanager_watcher_cycles_total", "Render cycles of each watcher on this node.", "watcher");
        _renders = factory.CreateCounter("hamanager_watcher_renders_total", "Render cycles that wrote a changed file.", "watcher");
        _reloads = factory.CreateCounter("hamanager_watcher_reloads_total", "Service reloads after a changed file.", "watcher");
        _errors = factory.CreateCounter("hamanager_watcher_errors_total", "Render cycles that kept the current files because of invalid KV data, a rejected file or a failed render.", "watcher");
        _invalidKeys = factory.CreateGauge("hamanager_kv_invalid_keys", "KV keys whose current value is invalid (the last valid value is used instead).");
        _consulUp = factory.CreateGauge("hamanager_consul_agent_up", "1 when the local Consul agent answered its last check.");
        _consulLeader = factory.CreateGauge("hamanager_consul_leader_seen", "1 when the local Consul agent knew a Raft leader at its last check.");
        _spoolDepth = factory.CreateGauge("hamanager_notify_spool_depth", "Transitions waiting in the local spool for Consul.");
        _clusterAge = factory.CreateGauge("hamanager_cluster_document_age_seconds", "How old the cluster document behind the cluster-wide series is; absent before the first.", untilSet);
        _registry.AddBeforeCollectCallback(() =>
        {
            if (clusterAge() is { } age) _clusterAge.Set(age.TotalSeconds);
        });
        if (processMetrics) DotNetStats.Register(_registry);
    }

    public void OnCycle(WatcherCycleReport report)
    {
        _cycles.WithLabels(report.Watcher).Inc();
        if (report.Changed) _renders.WithLabels(report.Watcher).Inc();
        if (report.Reloaded) _reloads.WithLabels(report.Watcher).Inc();
        if (report.IsError) _errors.WithLabels(report.Watcher).Inc();
    }

    /// <param name="consulHasLeader">null: the agent did not answer.</param>
    public void OnLocal(bool? consulHasLeader, int spoolDepth, int invalidKeys)
    {
        _consulUp.Set(consulHasLeader is null ? 0 : 1);
        _consulLeader.Set(consulHasLeader == true ? 1 : 0);
        _spoolDepth.Set(spoolDepth);
        _invalidKeys.Set(invalidKeys);
    }

    public void OnCluster(ClusterSnapshot snapshot)
    {
        var status = snapshot.Status;
        lock (_gate)
        {
            Replace(_role, status.Nodes.Select(n => new[] { n.Name, n.Postgres.Role }), 1);
            Replace(_lag, status.Nodes.Where(n => n.Postgres.LagBytes is not null).Select(n => new[] { n.Name }), labels =>
                status.Nodes.First(n => n.Name == labels[0]).Postgres.LagBytes!.Value);
            Replace(_vipHolder, status.Nodes.Select(n => new[] { n.Name }), labels => labels[0] == status.VipHolder ? 1 : 0);
            _degraded.Set(status.Degraded ? 1 : 0);
            _problems.Set(status.Problems.Count);
            _maintenance.Set(status.Maintenance is null ? 0 : 1);
            // History is append-only, so the count only grows; IncTo keeps the series a counter even if a key were removed.
            foreach (var count in snapshot.TransitionCounts) _transitions.WithLabels(count.Service, count.From, count.To).IncTo(count.Count);
            if (snapshot.LastDrill is { } drill)
            {
                _lastFailoverRto.Set(drill.RtoSeconds);
                _rtoPublished = true;
            }
            else if (_rtoPublished)
            {
                _lastFailoverRto.Unpublish();
                _rtoPublished = false;
            }
        }
    }

    public Task WriteAsync(Stream output, CancellationToken cancellationToken) => _registry.CollectAndExportAsTextAsync(output, cancellationToken);

    private static void Replace(Gauge gauge, IEnumerable<string[]> series, double value) => Replace(gauge, series, _ => value);

    /// <summary>Sets the given series and removes the ones that are gone (a node removed, a role changed).</summary>
    private static void Replace(Gauge gauge, IEnumerable<string[]> series, Func<string[], double> value)
    {
        var wanted = series.ToList();
        var keep = wanted.Select(l => string.Join('\0', l)).ToHashSet(StringComparer.Ordinal);
        foreach (var labels in gauge.GetAllLabelValues().Where(l => !keep.Contains(string.Join('\0', l))).ToList()) gauge.RemoveLabelled(labels);
        foreach (var labels in wanted) gauge.WithLabels(labels).Set(value(labels));
    }
}
