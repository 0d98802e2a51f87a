using HaManager.Cluster;
using HaManager.Cluster.Model;
using HaManager.Watchers.Engine;
using HaManager.Watchers.Failover;
using HaManager.Watchers.Notify;
using HaManager.Watchers.Services;
using Serilog;

namespace HaManager.Watchers.Postgres;

/// <summary>
/// Keeps a standby streaming from the master KV names: when <c>postgres/master</c> moves, the standby's
/// primary_conninfo is re-pointed and PostgreSQL reloaded (PostgreSQL 15 restarts only its WAL receiver,
/// and follows the new timeline by itself). With quorum commit the new primary acknowledges nothing until
/// a standby streams from it, so this is on the failover's critical path: no restart, no repmgr round trip.
/// </summary>
public sealed class StandbyFollower(
    KvKeys keys, NodeName node, PostgresLocal local, IPostgresInstance postgres, IServiceManager services, NotifyHook hook, ILogger logger) : IReconciler
{
    /// <summary>A standby that keeps failing to start (a full disk, say) is retried this often, not every cycle.</summary>
    private static readonly TimeSpan StartRetry = TimeSpan.FromSeconds(15);
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private TimeSpan? _lastStart;

    public string Name => "standby follower";

    public IReadOnlyList<string> Prefixes { get; } = [keys.PostgresMaster, keys.NodesPrefix, keys.PostgresNodesPrefix];

    public async Task<string?> ReconcileAsync(KvSnapshot snapshot, CancellationToken cancellationToken)
    {
        if (!local.DataDirectoryExists() || !local.IsStandbyDataDirectory()) return null;
        var facts = ClusterFacts.From(snapshot);
        if (facts.VouchedMaster is not { } master || master.Node == node || facts.NodeId(node) is not { } selfId) return null;
        var state = await postgres.ReadStateAsync(cancellationToken);
        if (!state.Answered) return await StartStoppedStandbyAsync(cancellationToken);
        if (!state.IsStandby || state.UpstreamHost == master.Host.ToString()) return null;

        var upstream = new StandbyUpstream(master.Node, master.Host, master.Port, node, selfId, local.PassFile);
        await postgres.SetUpstreamAsync(upstream, cancellationToken);
        var previous = state.UpstreamHost ?? "nothing";
        var follow = RepmgrEvent.Follow(node, selfId, master, $"re-pointed from {previous} to {master.Node} ({master.Host})", previousState: "STANDBY");
        // Recorded in the background (spool first): a slow Consul must not hold up the next render cycle.
        _ = Task.Run(async () =>
        {
            try
            {
                await hook.RecordOrSpoolAsync(follow, CancellationToken.None);
            }
            catch (Exception e)
            {
                logger.Error("Could not record that {Node} follows {Master}: {Reason}", node.Value, master.Node.Value, e.Message);
            }
        }, CancellationToken.None);
        return $"re-pointed the standby from {previous} to {master.Node} ({master.Host}:{master.Port}), reloaded without a restart";
    }

    /// <summary>
    /// A standby may always start (it can only follow), so one that stopped (a crash, a full disk that is
    /// free again) is started again, as systemd's Restart= would for it.
    /// </summary>
    private async Task<string?> StartStoppedStandbyAsync(CancellationToken cancellationToken)
    {
        if (await services.IsRunningAsync("postgresql", local.PostgresService, cancellationToken)) return null;
        if (_lastStart is { } last && _clock.Elapsed - last < StartRetry) return null;
        _lastStart = _clock.Elapsed;
        await services.StartAsync("postgresql", local.PostgresService, cancellationToken);
        return "the local standby was not running: started it again";
    }
}
