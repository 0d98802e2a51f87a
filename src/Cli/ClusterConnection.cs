using HaManager.Api.Status;
using HaManager.Cluster.Consul;

namespace HaManager.Cli;

/// <summary>The cluster as the read-only commands see it: Consul KV, and live facts (members, each PostgreSQL) when available.</summary>
public sealed class ClusterConnection(IKvStore kv, IClusterProbe? probe, IDisposable? owner = null) : IDisposable
{
    public IKvStore Kv { get; } = kv;

    /// <summary>Null when live facts cannot be asked (status then reports what KV says).</summary>
    public IClusterProbe? Probe { get; } = probe;

    public static ClusterConnection Open(ConsulClientOptions options)
    {
        var consul = new ConsulClient(options);
        return new ClusterConnection(consul, new LiveClusterProbe(consul), consul);
    }

    public void Dispose() => owner?.Dispose();
}
