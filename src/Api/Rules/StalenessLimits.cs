namespace HaManager.Api.Rules;

/// <summary>How old a piece of knowledge may be before an answer stops relying on it.</summary>
/// <param name="Postgres">
/// The failure detector reads the local PostgreSQL every 250 ms; a read that has not come back for this
/// long means PostgreSQL hangs, and a load balancer must not keep sending it traffic.
/// </param>
/// <param name="ReplicaLag">The lag comes with the cluster document (read every 2 s); older than this it is not trusted for max_lag_bytes.</param>
/// <param name="Consul">/health: the local Consul agent has not answered for this long.</param>
/// <param name="Services">/health: the service checks (every 5 s) have not come back for this long.</param>
public sealed record StalenessLimits(TimeSpan Postgres, TimeSpan ReplicaLag, TimeSpan Consul, TimeSpan Services)
{
    public static StalenessLimits Default { get; } = new(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30));
}
