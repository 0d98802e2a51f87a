using System.CommandLine;
using HaManager.Cluster.Model;
using HaManager.Watchers.Notify;

namespace HaManager.Cli.Commands;

public static class NotifyCommand
{
    /// <summary>The whole hook, Consul round trips included, finishes within this budget.</summary>
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(3);

    public static Command Create()
    {
        var notify = new Command("notify", "Hooks called by services to record their state changes in KV (spooled locally when Consul is unreachable).");
        notify.Subcommands.Add(CreateKeepalived());
        notify.Subcommands.Add(CreateRepmgr());
        return notify;
    }

    /// <summary>A promotion waits for a Raft leader to accept the new master (≈3 s when the old leader died too): a longer budget.</summary>
    private static readonly TimeSpan RepmgrBudget = TimeSpan.FromSeconds(8);

    private static Command CreateRepmgr()
    {
        var nodeId = new Option<string>("--node-id") { Description = "%n: the repmgr node id", HelpName = "ID", Required = true };
        var eventName = new Option<string>("--event") { Description = "%e: the event name, e.g. repmgrd_failover_promote", HelpName = "EVENT", Required = true };
        var success = new Option<string>("--success") { Description = "%s: 1 or 0", HelpName = "1|0", Required = true };
        var timestamp = new Option<string?>("--timestamp") { Description = "%t: when repmgr saw the event", HelpName = "TIME" };
        var details = new Option<string?>("--details") { Description = "%d: repmgr's description", HelpName = "TEXT" };
        var command = new Command("repmgr", "repmgr's event_notification_command: a promotion claims postgres/master (CAS), a follow updates this node's upstream.")
        {
            nodeId, eventName, success, timestamp, details,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(parse, async () =>
        {
            using var context = CliContext.Create(parse, daemon: false);
            var arguments = RepmgrNotifyArguments.Parse(parse.GetValue(nodeId)!, parse.GetValue(eventName)!, parse.GetValue(success)!, parse.GetValue(timestamp), parse.GetValue(details));
            using var consul = context.CreateConsulClient(requestTimeout: TimeSpan.FromSeconds(4));
            var hook = new RepmgrNotifyHook(
                new NotifyHook(new TransitionRecorder(consul, context.Keys, context.Logger), new NotifySpool(context.Settings.Paths.SpoolDir, context.Logger), RepmgrBudget, context.Logger),
                NodeName.Parse(context.Settings.Node.Name), IpAddresses.Parse(context.Settings.Node.Address), context.Settings.Postgres.Port,
                new HaManager.Watchers.Postgres.PostgresLocal(context.Settings), context.Logger);
            var outcome = await hook.RunAsync(arguments, cancellationToken);
            context.Out.WriteLine(outcome switch
            {
                null => "ignored (changes nothing in KV)",
                NotifyOutcome.Recorded => "recorded",
                _ => "spooled (Consul unreachable); hamanager watch will replay it",
            });
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command CreateKeepalived()
    {
        var type = new Argument<string>("TYPE") { Description = "INSTANCE or GROUP" };
        var name = new Argument<string>("NAME") { Description = "The VRRP instance or group name" };
        var state = new Argument<string>("STATE") { Description = "MASTER, BACKUP, FAULT, STOP (or DELETED)" };
        var priority = new Argument<string>("PRIORITY") { Description = "The instance's priority" };
        var command = new Command("keepalived", "keepalived's notify script: records this node's new VRRP state and a transition.") { type, name, state, priority };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(parse, async () =>
        {
            using var context = CliContext.Create(parse, daemon: false);
            var arguments = KeepalivedNotifyArguments.Parse(parse.GetValue(type)!, parse.GetValue(name)!, parse.GetValue(state)!, parse.GetValue(priority)!);
            using var consul = context.CreateConsulClient(requestTimeout: TimeSpan.FromSeconds(1.5));
            var hook = new KeepalivedNotifyHook(
                new TransitionRecorder(consul, context.Keys, context.Logger),
                new NotifySpool(context.Settings.Paths.SpoolDir, context.Logger),
                NodeName.Parse(context.Settings.Node.Name),
                context.Settings.Paths.StateDir,
                Budget,
                context.Logger);
            var outcome = await hook.RunAsync(arguments, cancellationToken);
            context.Out.WriteLine(outcome == NotifyOutcome.Recorded ? "recorded" : "spooled (Consul unreachable); hamanager watch will replay it");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
