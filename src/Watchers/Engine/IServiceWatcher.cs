namespace HaManager.Watchers.Engine;

/// <summary>
/// One service's knowledge of its configuration: which keys it reads, how they become files, which
/// service to reload. No I/O and no retries here — the engine owns those.
/// </summary>
public interface IServiceWatcher
{
    string Name { get; }

    /// <summary>KV prefixes (or exact keys) this watcher renders from.</summary>
    IReadOnlyList<string> Prefixes { get; }

    ServiceTarget Service { get; }

    WatchOutput Render(KvSnapshot snapshot);

    /// <summary>
    /// True for a watcher whose files and service no reconciler touches (pgbouncer's, keepalived's): the engine renders it
    /// in a lane of its own from the newest snapshot, so a retarget never waits behind a slow reconciler (a fence, a rejoin,
    /// a KV write during a Raft election). False keeps it in step with the reconcilers, as files in PostgreSQL's data
    /// directory must be: a rejoin or a re-clone replaces that directory.
    /// </summary>
    bool RendersIndependently => false;
}
