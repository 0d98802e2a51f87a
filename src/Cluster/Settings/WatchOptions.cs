namespace HaManager.Cluster.Settings;

public sealed class WatchOptions
{
    public int DebounceMilliseconds { get; set; } = 100;
    /// <summary>Blocking-query wait; kept short so a dead Raft leader cannot stall a watcher for long.</summary>
    public int WaitSeconds { get; set; } = 5;
    public int SpoolReplayIntervalSeconds { get; set; } = 2;
    public int CommandTimeoutSeconds { get; set; } = 15;
}
