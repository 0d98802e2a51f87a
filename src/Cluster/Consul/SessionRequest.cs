namespace HaManager.Cluster.Consul;

/// <summary>
/// A session that lives by its TTL only: it is always created with an empty check list so a gossip blip
/// (serfHealth failing) cannot invalidate it and drop its locks.
/// </summary>
/// <param name="Ttl">Zero sends no TTL (the session then lives until destroyed). Consul accepts 10 s to 24 h by default.</param>
public sealed record SessionRequest(string Name, TimeSpan Ttl)
{
    public SessionRequest()
        : this(string.Empty, TimeSpan.FromSeconds(15))
    {
    }

    public SessionRequest(string name, TimeSpan ttl, SessionBehavior behavior, TimeSpan lockDelay)
        : this(name, ttl)
    {
        Behavior = behavior;
        LockDelay = lockDelay;
    }

    public SessionBehavior Behavior { get; init; } = SessionBehavior.Release;

    /// <summary>
    /// After the session is invalidated, its locks cannot be re-acquired for this long (an explicit release does not
    /// start it). 15 s is Consul's own default; zero disables it.
    /// </summary>
    public TimeSpan LockDelay { get; init; } = TimeSpan.FromSeconds(15);
}
