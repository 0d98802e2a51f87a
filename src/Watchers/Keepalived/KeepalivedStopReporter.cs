using HaManager.Cluster;
using HaManager.Cluster.Model;
using HaManager.Watchers.Engine;
using HaManager.Watchers.Failover;
using HaManager.Watchers.Files;
using HaManager.Watchers.Notify;
using HaManager.Watchers.Services;

namespace HaManager.Watchers.Keepalived;

/// <summary>
/// Records STOP for this node when keepalived is gone but KV still holds its last state. keepalived's own
/// STOP notification is unreliable: it kills its notify scripts as it exits (a hook that has not even
/// started its runtime loses the event), and a SIGKILLed keepalived notifies nothing. A node whose KV
/// state says MASTER while nothing runs would otherwise stay "MASTER" until its next transition.
/// </summary>
public sealed class KeepalivedStopReporter(KvKeys keys, NodeName node, ServiceTarget keepalived, IServiceManager services, string stateDirectory, NotifyHook hook)
    : IReconciler
{
    private int _notRunningCycles;

    public string Name => "keepalived stop";

    public IReadOnlyList<string> Prefixes { get; } = [keys.KeepalivedNodesPrefix];

    public async Task<string?> ReconcileAsync(KvSnapshot snapshot, CancellationToken cancellationToken)
    {
        if (await services.IsRunningAsync(keepalived.Name, keepalived.Options, cancellationToken))
        {
            _notRunningCycles = 0;
            return null;
        }

        var record = ClusterFacts.From(snapshot).Priorities.GetValueOrDefault(node.Value);
        if (record is null || record.State is KeepalivedState.Stop or KeepalivedState.Unknown) return null;
        // Twice in a row: a restart in progress (stop, then start) is not a stop.
        if (++_notRunningCycles < 2) return null;

        var previous = record.State.ToString().ToUpperInvariant();
        var stopped = new KeepalivedStateChanged
        {
            Node = node, At = DateTimeOffset.UtcNow, ForkOrder = null, PreviousState = previous,
            State = KeepalivedState.Stop, Priority = record.Priority, Instance = "VI_1",
        };
        // The next hook's "from" is STOP; no fork order: any later keepalived hook is newer by the clock of this same machine.
        await AtomicFile.WriteAsync(Path.Combine(stateDirectory, KeepalivedNotifyHook.LastStateFileName), "STOP\n", cancellationToken: cancellationToken);
        await hook.RecordOrSpoolAsync(stopped, cancellationToken);
        return $"keepalived is not running but '{keys.KeepalivedNode(node)}' said {previous}: recorded STOP";
    }
}
