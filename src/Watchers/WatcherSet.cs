using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Model;
using HaManager.Cluster.Settings;
using HaManager.Templates;
using HaManager.Watchers.Engine;
using HaManager.Watchers.Failover;
using HaManager.Watchers.Notify;
using HaManager.Watchers.Keepalived;
using HaManager.Watchers.Maintenance;
using HaManager.Watchers.Pgbouncer;
using HaManager.Watchers.Postgres;
using HaManager.Watchers.Processes;
using HaManager.Watchers.Services;
using HaManager.Watchers.Switchover;
using HaManager.Watchers.Syncthing;
using Serilog;

namespace HaManager.Watchers;

/// <summary>Every watcher and reconciler a node runs, built once from the local settings (used by `watch` and by bootstrap).</summary>
public sealed class WatcherSet
{
    /// <param name="consulHasLeader">true/false when the local Consul agent answers; null when it does not.</param>
    public WatcherSet(HaManagerSettings settings, KvKeys keys, IKvStore kv, IServiceManager services, ProcessRunner runner, ILogger logger,
        Func<CancellationToken, Task<bool?>> consulHasLeader)
    {
        var renderer = new TemplateRenderer(settings.Paths.TemplatesDir);
        var postgres = new PostgresLocal(settings);
        var node = NodeName.Parse(settings.Node.Name);
        var address = IpAddresses.Parse(settings.Node.Address);
        var instance = new PostgresInstance(postgres);
        var rejoin = new PostgresRejoin(postgres, services, runner, logger);
        var hook = new NotifyHook(new TransitionRecorder(kv, keys, logger), new NotifySpool(settings.Paths.SpoolDir, logger), PromotionBudget, logger);
        Keepalived = new KeepalivedWatcher(keys, KeepalivedWatcherOptions.FromSettings(settings), renderer);
        PostgresConfig = new PostgresConfigWatcher(keys, postgres, settings.Postgres.Synchronous == "quorum", renderer);
        Repmgr = new RepmgrWatcher(keys, postgres, RepmgrWatcherOptions.FromSettings(settings, postgres), renderer);
        Pgbouncer = new PgbouncerWatcher(keys, settings.Pgbouncer, PgbouncerLocal.Service(settings), settings.Postgres.OsUser, renderer, settings.Postgres.Port);
        Watchers = [Keepalived, PostgresConfig, Repmgr, Pgbouncer];
        Peers = new HttpPeerObservers(settings.Api.Port);
        Maintenance = new MaintenanceMode(keys);
        // A planned switchover stops the primary on purpose: neither the detector nor the fencer may take it for a failure.
        bool AutomaticDecisionsPaused() => Maintenance.Paused() || Switchover.IsActive();
        var promoter = new FailoverPromoter(kv, keys, node, address, settings.Postgres.Port, instance, postgres, hook, runner, logger);
        Detector = new FailoverDetector(node, instance, postgres, Peers, promoter,
            FailoverTiming.FromSettings(settings.Failover), settings.Failover.Enabled, logger, AutomaticDecisionsPaused);
        List<IReconciler> reconcilers =
        [
            // First: the others read the maintenance window and the switchover of the same snapshot.
            Maintenance,
            new SwitchoverParticipant(kv, keys, node, postgres, instance, services, new PostgresControlData(postgres, runner), promoter, Switchover, logger),
            new PostgresFencer(kv, keys, node, postgres, instance, services, rejoin, hook, consulHasLeader, logger, AutomaticDecisionsPaused),
            new PostgresReinitReconciler(kv, keys, node, postgres.PassFile, rejoin.RecloneAsync, logger),
            new StandbyFollower(keys, node, postgres, instance, services, hook, logger),
            new VipTrackReconciler(keys, node, KeepalivedWatcherOptions.TrackFilePath(settings), instance, Maintenance.Paused),
            new KeepalivedStopReporter(keys, node, Keepalived.Service, services, settings.Paths.StateDir, hook),
            new PgbouncerTargetReporter(kv, keys, node, settings.Pgbouncer.ConfigFile),
            new PausedClientsGuard(keys, node, address, settings.Pgbouncer.ListenPort, logger),
        ];
        if (settings.Syncthing.Enabled)
        {
            SyncthingApi = HaManager.Watchers.Syncthing.SyncthingApi.FromSettings(settings);
            Syncthing = new SyncthingReconciler(SyncthingApi, keys, node, f => SyncthingLocal.FolderPath(settings, f), logger);
            reconcilers.Add(Syncthing);
        }

        Reconcilers = reconcilers;
    }

    /// <summary>A promotion may have to wait for a new Raft leader to accept the new master (≈3 s when the old leader died too).</summary>
    public static readonly TimeSpan PromotionBudget = TimeSpan.FromSeconds(8);

    public FailoverDetector Detector { get; }

    /// <summary>The operator's maintenance window: pauses the detector, the fencer and the VIP track file.</summary>
    public MaintenanceMode Maintenance { get; }

    /// <summary>A switchover in progress, as this node's latest snapshot says: failover and fencing leave its planned stop alone.</summary>
    public PlannedSwitchover Switchover { get; } = new();
    public HttpPeerObservers Peers { get; }

    /// <summary>Null when syncthing.enabled is false.</summary>
    public SyncthingReconciler? Syncthing { get; }
    public SyncthingApi? SyncthingApi { get; }

    public KeepalivedWatcher Keepalived { get; }
    public PostgresConfigWatcher PostgresConfig { get; }
    public RepmgrWatcher Repmgr { get; }
    public PgbouncerWatcher Pgbouncer { get; }
    public IReadOnlyList<IServiceWatcher> Watchers { get; }
    public IReadOnlyList<IReconciler> Reconcilers { get; }
}
