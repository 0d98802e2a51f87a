using HaManager.Cluster.Model;

namespace HaManager.Watchers.Switchover;

/// <summary>
/// What this node knows of a switchover in progress, from the latest snapshot: while one is active the
/// failure detector and the fencer must not act on the planned stop of the old primary. Read by the
/// detector's own loop, so the record is swapped whole.
/// </summary>
public sealed class PlannedSwitchover(TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private volatile SwitchoverRecord? _record;

    public void Update(SwitchoverRecord? record) => _record = record;

    /// <summary>An expired record is ignored: a CLI that died cannot keep failover paused.</summary>
    public bool IsActive() => _record?.IsActive(_clock.GetUtcNow()) ?? false;
}
