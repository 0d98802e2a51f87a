using HaManager.Api;
using HaManager.Api.Metrics;
using HaManager.Api.Rules;
using HaManager.Api.State;
using HaManager.Api.Status;
using HaManager.Cluster.Consul;
using HaManager.Watchers.Failover;
using HaManager.Watchers.Postgres;
using Serilog.Core;

namespace HaManager.Tests.Api;

/// <summary>
/// The real node endpoint (Kestrel) on 127.0.0.1 and a port the kernel picks, with its real cache, refresher
/// and metrics, fed by fakes the test changes: the cluster document, the local checks, the local PostgreSQL.
/// </summary>
internal sealed class ApiTestHost : IAsyncDisposable
{
    private static readonly RefreshIntervals Fast = new(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5));
    private readonly CancellationTokenSource _stop = new();
    private NodeApiServer? _server;
    private Task _refresher = Task.CompletedTask;
    private volatile ClusterSnapshot? _document;

    private ApiTestHost(string node, Func<ApiTestHost, CancellationToken, Task<ClusterSnapshot>>? readCluster, FakeNodeProbes? probes)
    {
        Probes = probes ?? new FakeNodeProbes();
        Cache = new NodeStateCache(node, TimeProvider.System);
        Metrics = new ApiMetrics(() => Cache.Facts().ClusterAge, processMetrics: false);
        ReadCluster = readCluster is null ? ReadDocumentAsync : ct => readCluster(this, ct);
    }

    public NodeStateCache Cache { get; }
    public ApiMetrics Metrics { get; }
    public FakeNodeProbes Probes { get; }
    public HttpClient Client { get; } = new() { Timeout = TimeSpan.FromSeconds(10) };
    public Uri BaseAddress => _server!.Addresses[0];

    /// <summary>What the fake cluster read returns; null makes it fail, as an unreachable Consul would.</summary>
    public ClusterSnapshot? Document
    {
        get => _document;
        set => _document = value;
    }

    private Func<CancellationToken, Task<ClusterSnapshot>> ReadCluster { get; }

    public static async Task<ApiTestHost> StartAsync(string node = "n1", ClusterSnapshot? document = null,
        Func<ApiTestHost, CancellationToken, Task<ClusterSnapshot>>? readCluster = null, FakeNodeProbes? probes = null)
    {
        var host = new ApiTestHost(node, readCluster, probes) { Document = document };
        var routes = new NodeApiRoutes(() => new ObserverView { Node = node, Role = ObserverView.Primary }, host.Cache, host.Metrics, StalenessLimits.Default);
        host._server = await NodeApiServer.StartAsync(System.Net.IPAddress.Loopback, 0, routes, Logger.None, CancellationToken.None);
        var refresher = new StateRefresher(host.Cache, host.Metrics, host.Probes, host.ReadCluster, Fast, Logger.None);
        host._refresher = Task.Run(() => refresher.RunAsync(host._stop.Token));
        return host;
    }

    public void SetPostgres(PostgresState state) => Cache.OnPostgresState(state);

    public async Task SetRegisteredPrimaryAsync(string primary) => Cache.OnSnapshot(await KvSnapshots.WithPrimaryAsync(primary));

    public Task<HttpResponseMessage> GetAsync(string path) => Client.GetAsync(new Uri(BaseAddress, path));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _refresher;
        if (_server is not null) await _server.DisposeAsync();
        Client.Dispose();
        _stop.Dispose();
    }

    private Task<ClusterSnapshot> ReadDocumentAsync(CancellationToken cancellationToken) =>
        _document is { } document ? Task.FromResult(document) : throw new ConsulUnavailableException("Consul is unreachable (fake)", "/v1/kv/hamanager/");
}
