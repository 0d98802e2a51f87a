namespace HaManager.Cluster.Consul;

/// <summary>A session as /v1/session/info reports it.</summary>
/// <param name="Ttl">Consul's duration text as created (e.g. "10s"); empty when the session has no TTL.</param>
/// <param name="NodeChecks">Health checks the session depends on; empty for sessions made by CreateSessionAsync.</param>
public sealed record SessionInfo(
    string Id,
    string Name,
    string Node,
    SessionBehavior Behavior,
    string Ttl,
    TimeSpan LockDelay,
    IReadOnlyList<string> NodeChecks,
    ulong CreateIndex);
