using HaManager.Api.Metrics;
using HaManager.Api.Rules;
using HaManager.Api.State;
using HaManager.Api.Status;
using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Model;
using HaManager.Cluster.Settings;
using HaManager.Watchers;
using HaManager.Watchers.Engine;
using HaManager.Watchers.Services;
using HaManager.Watchers.Syncthing;
using Serilog;

namespace HaManager.Api;

/// <summary>
/// The node endpoint as `hamanager watch` runs it: the cache fed by the failure detector and the watch
/// engine, the background refresher, the metrics, and the Kestrel server. Disposing stops all of them.
/// </summary>
public sealed class NodeApi : IAsyncDisposable
{
    private readonly NodeApiServer _server;
    private readonly CancellationTokenSource _stop;
    private readonly Task _refresher;

    private NodeApi(NodeApiServer server, CancellationTokenSource stop, Task refresher)
    {
        _server = server;
        _stop = stop;
        _refresher = refresher;
    }

    public static async Task<NodeApi> StartAsync(HaManagerSettings settings, KvKeys keys, ConsulClient consul, WatcherSet set, WatchEngine engine,
        IServiceManager services, ILogger logger, CancellationToken cancellationToken)
    {
        var node = NodeName.Parse(settings.Node.Name);
        var cache = new NodeStateCache(node.Value, TimeProvider.System);
        var metrics = new ApiMetrics(() => cache.Facts().ClusterAge);
        set.Detector.LocalStateRead += cache.OnPostgresState;
        engine.SnapshotTaken += cache.OnSnapshot;
        engine.CycleCompleted += metrics.OnCycle;

        var probes = new LocalNodeProbes(consul, services, LocalServices(settings, set), settings.Paths.SpoolDir, () => engine.InvalidKeys.Count);
        var syncthing = set.SyncthingApi is { } api ? (node, (ISyncthingApi)api) : ((NodeName, ISyncthingApi)?)null;
        var reader = new ClusterStatusReader(consul, keys, new LiveClusterProbe(consul, pooled: true, logger), settings.Postgres.Port, syncthing, staleReads: true,
            tally: new TransitionTally(), folderGuard: settings.Syncthing.Enabled ? ReplicatedFolderGuard.FromSettings(settings) : null);
        var refresher = new StateRefresher(cache, metrics, probes, reader.ReadSnapshotAsync, RefreshIntervals.Default, logger);
        var routes = new NodeApiRoutes(() => set.Detector.CurrentView, cache, metrics, StalenessLimits.Default);
        var address = IpAddresses.Parse(settings.Api.ListenAddress.Length > 0 ? settings.Api.ListenAddress : settings.Node.Address);
        var server = await NodeApiServer.StartAsync(address, settings.Api.Port, routes, logger, cancellationToken);
        var stop = new CancellationTokenSource();
        return new NodeApi(server, stop, Task.Run(() => refresher.RunAsync(stop.Token), CancellationToken.None));
    }

    /// <summary>What /health checks: Consul, every service a watcher reloads (keepalived, PostgreSQL, repmgrd, pgbouncer) and syncthing when enabled.</summary>
    public static IReadOnlyList<ServiceTarget> LocalServices(HaManagerSettings settings, WatcherSet set)
    {
        var targets = new List<ServiceTarget> { new("consul", settings.Consul.Service) };
        targets.AddRange(set.Watchers.Select(w => w.Service));
        if (settings.Syncthing.Enabled) targets.Add(SyncthingLocal.Service(settings));
        return targets.DistinctBy(t => t.Name, StringComparer.Ordinal).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _refresher;
        await _server.DisposeAsync();
        _stop.Dispose();
    }
}
