namespace HaManager.Api.State;

/// <param name="Local">Consul agent check, spool depth, invalid keys: cheap, every second.</param>
/// <param name="Services">Service checks: with systemd each is a `systemctl is-active`, so not every second.</param>
/// <param name="Cluster">The whole cluster document: KV, Consul members, every node's PostgreSQL and the local syncthing.</param>
/// <param name="ClusterTimeout">A read that takes longer is abandoned; the previous document stays, and ages.</param>
public sealed record RefreshIntervals(TimeSpan Local, TimeSpan Services, TimeSpan Cluster, TimeSpan ClusterTimeout)
{
    public static RefreshIntervals Default { get; } = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10));
}
