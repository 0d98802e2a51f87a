namespace HaManager.Templates.Views;

/// <summary>repmgrd's failure detection: monitor every N s, then this many reconnect attempts this far apart (docs/postgres.md has the budget).</summary>
public sealed record RepmgrTiming(int MonitorIntervalSeconds = 1, int ReconnectAttempts = 2, int ReconnectIntervalSeconds = 1);
