namespace HaManager.Cluster.Settings;

/// <summary>
/// How much transition history KV keeps. The watcher on the Consul leader's node (one pruner for the cluster)
/// deletes transitions older than <see cref="MaxAgeDays"/> and the oldest beyond <see cref="MaxEntries"/>;
/// the newest ones `status` shows are never deleted.
/// </summary>
public sealed class HistoryOptions
{
    public int MaxAgeDays { get; set; } = 30;
    public int MaxEntries { get; set; } = 1000;
}
