using HaManager.Watchers.Postgres;

namespace HaManager.Api.State;

/// <summary>What this node knows at <see cref="Now"/>, taken from <see cref="NodeStateCache"/> in one piece for one answer.</summary>
/// <param name="Postgres">The local PostgreSQL as the failure detector last read it; null before its first read.</param>
/// <param name="RegisteredPrimary">The primary KV names (and vouches for: a registered node at its address), from the watch engine's newest snapshot.</param>
/// <param name="KvSeen">Whether the engine has produced a snapshot at all (otherwise "no primary" only means "not read yet").</param>
/// <param name="ConsulAnsweredAt">When the local Consul agent last answered: how old what this node knows of KV may be.</param>
/// <param name="ConsulLeader">Whether the agent knew a Raft leader at its last answer; null when it has never answered.</param>
/// <param name="Services">The last check of the services this node runs; null before the first.</param>
public sealed record NodeFacts(
    string Node,
    DateTimeOffset Now,
    Stamped<PostgresState>? Postgres,
    string? RegisteredPrimary,
    bool KvSeen,
    DateTimeOffset? ConsulAnsweredAt,
    bool? ConsulLeader,
    Stamped<IReadOnlyList<ServiceCheck>>? Services,
    ClusterReading Cluster)
{
    public TimeSpan? PostgresAge => Postgres?.AgeAt(Now);
    public TimeSpan? ConsulAge => ConsulAnsweredAt is { } at ? Age(at) : null;
    public TimeSpan? ServicesAge => Services?.AgeAt(Now);
    public TimeSpan? ClusterAge => Cluster.Last?.AgeAt(Now);

    private TimeSpan Age(DateTimeOffset at) => Now > at ? Now - at : TimeSpan.Zero;
}
