using HaManager.Api.Metrics;
using HaManager.Api.Status;
using Serilog;

namespace HaManager.Api.State;

/// <summary>
/// Fills <see cref="NodeStateCache"/> and the metrics in the background, so that no request ever waits
/// on Consul, PostgreSQL, syncthing or systemd. Three loops, each bounded by its own timeout, so a hanging
/// cluster read never delays the Consul check and a slow `systemctl` never delays either. A failed read
/// keeps what the cache had; it is logged once when it starts failing and once when it works again.
/// </summary>
public sealed class StateRefresher(
    NodeStateCache cache,
    ApiMetrics metrics,
    INodeProbes probes,
    Func<CancellationToken, Task<ClusterSnapshot>> readCluster,
    RefreshIntervals intervals,
    ILogger logger)
{
    private string? _clusterError;
    private string? _stoppedServices;

    public Task RunAsync(CancellationToken cancellationToken) => Task.WhenAll(
        LoopAsync("Consul check", intervals.Local, RefreshLocalAsync, cancellationToken),
        LoopAsync("service check", intervals.Services, RefreshServicesAsync, cancellationToken),
        LoopAsync("cluster read", intervals.Cluster, RefreshClusterAsync, cancellationToken));

    public async Task RefreshLocalAsync(CancellationToken cancellationToken)
    {
        bool? leader;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(intervals.Local);
            try
            {
                leader = await probes.ConsulHasLeaderAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                leader = null;
            }
        }

        cache.OnConsulLeader(leader);
        metrics.OnLocal(leader, probes.SpoolDepth(), probes.InvalidKeys());
    }

    public async Task RefreshServicesAsync(CancellationToken cancellationToken)
    {
        var checks = await probes.CheckServicesAsync(cancellationToken);
        cache.OnServices(checks);
        var stopped = string.Join(", ", checks.Where(c => !c.Running).Select(c => c.Service));
        if (stopped == (_stoppedServices ?? string.Empty)) return;
        if (stopped.Length > 0) logger.Warning("HTTP endpoint: /health answers 503, not running: {Services:l}", stopped);
        else if (_stoppedServices is not null) logger.Information("HTTP endpoint: every local service runs again");
        _stoppedServices = stopped;
    }

    public async Task RefreshClusterAsync(CancellationToken cancellationToken)
    {
        var started = cache.Time.GetUtcNow();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(intervals.ClusterTimeout);
        try
        {
            var snapshot = await readCluster(timeout.Token);
            cache.OnClusterRead(snapshot, started);
            metrics.OnCluster(snapshot);
            if (_clusterError is not null) logger.Information("HTTP endpoint: the cluster document is current again");
            _clusterError = null;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            var reason = e is OperationCanceledException ? $"the read took longer than {intervals.ClusterTimeout.TotalSeconds:0.#} s" : e.Message;
            cache.OnClusterReadFailed(reason);
            if (_clusterError is null) logger.Warning("HTTP endpoint: could not read the cluster, /cluster and /metrics keep the last document and report its age: {Reason}", reason);
            _clusterError = reason;
        }
    }

    private async Task LoopAsync(string what, TimeSpan interval, Func<CancellationToken, Task> step, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            do
            {
                try
                {
                    await step(cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.Error("HTTP endpoint: {What} failed, next in {Ms} ms: {Reason}", what, (int)interval.TotalMilliseconds, e.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
