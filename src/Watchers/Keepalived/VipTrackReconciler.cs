using HaManager.Cluster;
using HaManager.Cluster.Model;
using HaManager.Watchers.Engine;
using HaManager.Watchers.Failover;
using HaManager.Watchers.Files;
using HaManager.Watchers.Postgres;

namespace HaManager.Watchers.Keepalived;

/// <summary>
/// The virtual IP follows the PostgreSQL primary. keepalived tracks a one-number file (track_file, weight
/// = the cluster's top priority): 1 on the node that KV names as master and whose PostgreSQL runs as a
/// primary, 0 everywhere else. That node's effective priority is above every other node's, so it takes
/// the VIP (within one advert after a promotion) and a returning node never takes it away; when the
/// primary node dies, keepalived's own election still moves the VIP within about 3 adverts.
/// While Consul is unreachable the file stays as it is (the snapshot is the last one read): the VIP does not move.
/// During maintenance (<paramref name="paused"/>) the file stays as it is too: an operator restarting PostgreSQL
/// must not see the VIP wander; keepalived's own election still moves it if the holder dies.
/// </summary>
public sealed class VipTrackReconciler(KvKeys keys, NodeName node, string trackFile, IPostgresInstance postgres, Func<bool>? paused = null) : IReconciler
{
    public string Name => "vip follows primary";

    public IReadOnlyList<string> Prefixes { get; } = [keys.PostgresMaster, keys.NodesPrefix];

    public async Task<string?> ReconcileAsync(KvSnapshot snapshot, CancellationToken cancellationToken)
    {
        if (paused?.Invoke() == true && File.Exists(trackFile)) return null;
        var master = ClusterFacts.From(snapshot).Master;
        var isPrimary = false;
        if (master?.Node == node)
        {
            var state = await postgres.ReadStateAsync(cancellationToken);
            // A primary that is slow to answer keeps the VIP: a hiccup of the HA layer's own query must never move it.
            if (!state.Answered && File.Exists(trackFile)) return null;
            isPrimary = state.IsPrimary;
        }

        var result = await AtomicFile.WriteAsync(trackFile, isPrimary ? "1\n" : "0\n", AtomicFile.DefaultMode, cancellationToken: cancellationToken);
        if (!result.Changed) return null;
        return isPrimary
            ? $"this node is the PostgreSQL primary: {trackFile} = 1, keepalived raises its priority so the VIP moves here"
            : $"this node is not the PostgreSQL primary{(master is null ? string.Empty : $" ({master.Node} is)")}: {trackFile} = 0";
    }
}
