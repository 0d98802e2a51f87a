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
}
