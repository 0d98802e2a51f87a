using HaManager.Api.Status;
using HaManager.Cluster.Consul;

namespace HaManager.Cli;

/// <summary>The cluster as the read-only commands see it: Consul KV, and live facts (members, each PostgreSQL) when available.</summary>
public sealed class ClusterConnection(IKvStore kv, IClusterProbe? probe, IDisposable? owner = null) : IDisposable
{
    /// <summary>Takes a Consul session lock (key, holder, how long to wait for it); disposing releases it.</summary>
    public delegate Task<IAsyncDisposable> LockTaker(string key, string holder, TimeSpan timeout, CancellationToken cancellationToken);

    public IKvStore Kv { get; } = kv;

    /// <summary>The default holds nothing: for an in-memory store, where only one command runs at a time.</summary>
    public LockTaker TakeLock { get; init; } = (_, _, _, _) => Task.FromResult<IAsyncDisposable>(new NoLock());

    /// <summary>Null when live facts cannot be asked (status then reports what KV says).</summary>
    public IClusterProbe? Probe { get; } = probe;

    public static ClusterConnection Open(ConsulClientOptions options)
    {
        var consul = new ConsulClient(options);
        return new ClusterConnection(consul, new LiveClusterProbe(consul), consul)
        {
            TakeLock = async (key, holder, timeout, cancellationToken) =>
                await HaManager.Cluster.Locks.ConsulLock.AcquireAsync(consul, key, holder, LockTtl, timeout, Serilog.Core.Logger.None, cancellationToken),
        };
    }

    /// <summary>Renewed at half of it while held; without renewal (the command died) the lock is free again after it.</summary>
    private static readonly TimeSpan LockTtl = TimeSpan.FromSeconds(15);

    public void Dispose() => owner?.Dispose();

    private sealed class NoLock : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
