using System.CommandLine;
using HaManager.Cluster.Consul;
using HaManager.Watchers;
using HaManager.Watchers.Engine;
using HaManager.Watchers.Notify;
using HaManager.Watchers.Processes;
using HaManager.Watchers.Services;

namespace HaManager.Cli.Commands;

public static class WatchCommand
{
    public static Command Create()
    {
        var command = new Command("watch", "Run the watcher daemon: turn KV changes into service configuration and reloads, and replay spooled transitions.");
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
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
            var engine = new WatchEngine(consul, context.Keys, set.Watchers, services, runner, engineOptions, context.Logger, set.Reconcilers);
            var recorder = new TransitionRecorder(consul, context.Keys, context.Logger);
            var replayer = new SpoolReplayer(new NotifySpool(settings.Paths.SpoolDir, context.Logger), recorder, context.Logger);
            var daemon = new WatchDaemon(engine, replayer, TimeSpan.FromSeconds(settings.Watch.SpoolReplayIntervalSeconds), context.Logger);
            await daemon.RunAsync(cancellationToken);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
