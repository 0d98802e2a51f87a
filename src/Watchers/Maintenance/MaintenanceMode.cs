using System.Globalization;
using HaManager.Cluster;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Watchers.Engine;

namespace HaManager.Watchers.Maintenance;

/// <summary>
/// Follows the operator's maintenance window (<c>maintenance</c> in KV) for this node. The failure detector,
/// the fencer and the VIP track file ask <see cref="Paused"/> before they act; watchers keep rendering.
/// It runs as the first reconciler, so the others see the window of the same snapshot, and its sentence
/// puts the start and the end of every pause in the watcher's log. An invalid record keeps its last valid
/// value (the engine's per-key last-known-good), so a typo never ends a pause by surprise.
/// </summary>
public sealed class MaintenanceMode(KvKeys keys, TimeProvider? clock = null) : IReconciler
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private volatile MaintenanceRecord? _record;
    private bool _reportedPaused;

    public string Name => "maintenance";

    public IReadOnlyList<string> Prefixes { get; } = [keys.Maintenance];

    /// <summary>The window as of the latest snapshot; null when there is none.</summary>
    public MaintenanceRecord? Record => _record;

    /// <summary>True while a window is open; an expired one (its <c>until</c> has passed) pauses nothing.</summary>
    public bool Paused() => _record?.IsActiveAt(_clock.GetUtcNow()) == true;

    public Task<string?> ReconcileAsync(KvSnapshot snapshot, CancellationToken cancellationToken)
    {
        _record = snapshot.Parse<MaintenanceRecord>(keys.Maintenance, []);
        var paused = Paused();
        if (paused == _reportedPaused) return Task.FromResult<string?>(null);
        _reportedPaused = paused;
        return Task.FromResult<string?>(paused ? Began(_record!) : Ended(_record));
    }

    private static string Began(MaintenanceRecord record) =>
        $"maintenance on (by {record.By}{(record.Reason is { } reason ? $": {reason}" : string.Empty)}), " +
        $"{(record.Until is { } until ? $"until {Time(until)}" : "until 'hamanager maintenance off'")}: " +
        "no automatic failover, fencing or VIP move on this node; configuration is still rendered";

    private static string Ended(MaintenanceRecord? record) =>
        (record?.Until is { } until ? $"maintenance window ended at {Time(until)}" : "maintenance off") +
        ": automatic failover, fencing and VIP moves resume";

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
