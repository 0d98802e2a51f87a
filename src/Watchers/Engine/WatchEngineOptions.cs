namespace HaManager.Watchers.Engine;

public sealed record WatchEngineOptions
{
    public TimeSpan Debounce { get; init; } = TimeSpan.FromMilliseconds(100);
    public TimeSpan Wait { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(15);
    public TimeSpan InitialRetryDelay { get; init; } = TimeSpan.FromMilliseconds(250);
    public TimeSpan ReconcileInterval { get; init; } = TimeSpan.FromSeconds(2);
}
