namespace HaManager.Watchers.Failover;

/// <summary>Everything one decision needs: this node's view, the other nodes' answers (null: no answer), the cluster size.</summary>
/// <param name="RegisteredNodes">How many nodes are registered, the primary included: a failover needs a majority of them.</param>
/// <param name="Paused">Automatic decisions are paused (a maintenance window or a planned switchover): never promote.</param>
public sealed record FailoverInput(
    string Self,
    string Primary,
    int RegisteredNodes,
    ObserverView SelfView,
    IReadOnlyDictionary<string, ObserverView?> Peers,
    FailoverTiming Timing,
    bool Paused = false);
