using System.CommandLine;
using System.Runtime.InteropServices;
using HaManager.Api;
using HaManager.Cli.Systemd;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Watchers;
using HaManager.Watchers.Engine;
using HaManager.Watchers.History;
using HaManager.Watchers.Notify;
using HaManager.Watchers.Processes;
using HaManager.Watchers.Services;

namespace HaManager.Cli.Commands;

public static class WatchCommand
{
    public static Command Create()
    {
        var command = new Command("watch", "Run the watcher daemon: turn KV changes into service configuration and reloads, detect a failed primary, and replay spooled transitions.");
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            // SIGTERM (systemd stop, package upgrade) is a clean stop: exit 0, leave every managed service running.
            // hamanager-watch.service is Type=notify: `systemctl start` returns once READY=1 is sent below.
            var systemd = ServiceNotifier.FromEnvironment();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
            {
                signal.Cancel = true;
                systemd.Stopping();
                stop.Cancel();
            });
            using var context = CliContext.Create(parse, daemon: true);
            var settings = context.Settings;
            using var consul = context.CreateConsulClient();
            var runner = new ProcessRunner(context.Logger);
            var services = ServiceManagerFactory.Create(settings, runner, context.Logger);
            var set = new WatcherSet(settings, context.Keys, consul, services, runner, context.Logger, consul.HasLeaderAsync);
            var engineOptions = new WatchEngineOptions
            {
                Debounce = TimeSpan.FromMilliseconds(settings.Watch.DebounceMilliseconds),
                Wait = TimeSpan.FromSeconds(settings.Watch.WaitSeconds),
                CommandTimeout = TimeSpan.FromSeconds(settings.Watch.CommandTimeoutSeconds),
            };
            var lastKnownGood = new LastKnownGoodStore(new KvRecordCatalog(context.Keys), Path.Combine(settings.Paths.StateDir, "kv-last-known-good.json"), context.Logger);
            var engine = new WatchEngine(consul, context.Keys, set.Watchers, services, runner, engineOptions, context.Logger, set.Reconcilers, lastKnownGood);
            var recorder = new TransitionRecorder(consul, context.Keys, context.Logger);
            var replayer = new SpoolReplayer(new NotifySpool(settings.Paths.SpoolDir, context.Logger), recorder, context.Logger);
            var pruner = new HistoryPruner(consul, context.Keys, settings.History, consul.IsLocalAgentLeaderAsync, TimeProvider.System, context.Logger);
            var daemon = new WatchDaemon(engine, set.Detector, replayer, TimeSpan.FromSeconds(settings.Watch.SpoolReplayIntervalSeconds), context.Logger, pruner);
            await using var api = settings.Api.Enabled
                ? await NodeApi.StartAsync(settings, context.Keys, consul, set, engine, services, context.Logger, stop.Token)
                : null;
            var running = daemon.RunAsync(stop.Token);
            // Settings loaded, the node API listening, the watchers started: ready (whether or not Consul answers yet;
            // the watcher keeps the last good files and retries, so waiting for Consul here would only fail the unit).
            systemd.Ready($"watching {context.Keys.Prefix} in Consul at {settings.Consul.Address}");
            await running;
            set.Peers.Dispose();
            return ExitCodes.Ok;
        }));
        return command;
    }
}
