using HaManager.Api.Metrics;
using HaManager.Api.State;
using HaManager.Api.Status;
using HaManager.Tests.Support;

namespace HaManager.Tests.Api.State;

public sealed class StateRefresherTests
{
    private static readonly RefreshIntervals Short = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200));
    private readonly NodeStateCache _cache = new("n1", TimeProvider.System);
    private readonly FakeNodeProbes _probes = new();
    private readonly TestLogger _log = new();
    private ClusterSnapshot? _document = ClusterDocuments.ThreeNodes("n1");
    private bool _hang;

    [Fact]
    public async Task RefreshClusterAsync_ReadHangs_GivesUpAtTheTimeoutAndKeepsTheLastDocument()
    {
        var refresher = Refresher();
        await refresher.RefreshClusterAsync(CancellationToken.None);
        _hang = true;
        var started = DateTime.UtcNow;
        await refresher.RefreshClusterAsync(CancellationToken.None);

        (DateTime.UtcNow - started).Should().BeLessThan(TimeSpan.FromSeconds(5));
        _cache.Cluster.Failing.Should().BeTrue();
        _cache.Cluster.LastError!.Value.Should().Be("the read took longer than 0.2 s");
        _cache.Cluster.Last!.Value.Status.PostgresMaster.Should().Be("n1");
    }

    [Fact]
    public async Task RefreshClusterAsync_FailsTwiceThenWorks_LogsOnceEachWay()
    {
        var refresher = Refresher();
        _document = null;
        await refresher.RefreshClusterAsync(CancellationToken.None);
        await refresher.RefreshClusterAsync(CancellationToken.None);
        _document = ClusterDocuments.ThreeNodes("n2");
        await refresher.RefreshClusterAsync(CancellationToken.None);

        _log.Messages.Should().ContainSingle(m => m.Contains("could not read the cluster"));
        _log.Messages.Should().ContainSingle(m => m.Contains("the cluster document is current again"));
        _cache.Cluster.Last!.Value.Status.PostgresMaster.Should().Be("n2");
    }

    [Fact]
    public async Task RefreshLocalAsync_ConsulHangs_RecordsNoAnswerWithinTheInterval()
    {
        var refresher = Refresher();
        await refresher.RefreshLocalAsync(CancellationToken.None);
        var answered = _cache.Facts().ConsulAnsweredAt;
        _probes.HangConsul = true;
        await refresher.RefreshLocalAsync(CancellationToken.None);
        _cache.Facts().ConsulAnsweredAt.Should().Be(answered, "a check that did not come back is no answer");
    }

    [Fact]
    public async Task RefreshServicesAsync_ServiceStops_LogsItOnce()
    {
        var refresher = Refresher();
        _probes.Services = [new("keepalived", false), new("pgbouncer", true)];
        await refresher.RefreshServicesAsync(CancellationToken.None);
        await refresher.RefreshServicesAsync(CancellationToken.None);
        _log.Messages.Should().ContainSingle(m => m.Contains("not running: keepalived"));
        _cache.Facts().Services!.Value.Should().Contain(new ServiceCheck("keepalived", false));
    }

    [Fact]
    public async Task RunAsync_Cancelled_Stops()
    {
        using var stop = new CancellationTokenSource();
        var run = Refresher().RunAsync(stop.Token);
        await Eventually.WaitAsync(() => _cache.Cluster.Last is not null && _cache.Facts().Services is not null, "the first reads");
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(5));
    }

    private StateRefresher Refresher() =>
        new(_cache, new ApiMetrics(() => null, processMetrics: false), _probes, ReadAsync, Short, _log.Logger);

    private async Task<ClusterSnapshot> ReadAsync(CancellationToken cancellationToken)
    {
        if (_hang) await Task.Delay(Timeout.Infinite, cancellationToken);
        return _document ?? throw new HaManager.Cluster.Consul.ConsulUnavailableException("Consul is unreachable (fake)", "/v1/kv/");
    }
}
