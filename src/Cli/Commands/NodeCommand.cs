using System.CommandLine;
using System.Text.Json;
using HaManager.Cli.Nodes;
using HaManager.Cluster.Model;
using HaManager.Watchers.Notify;

namespace HaManager.Cli.Commands;

/// <summary>
/// `hamanager node remove|reinit`: take a node out of the cluster, or re-clone a broken standby. Both run on any
/// machine that reaches Consul with a management token: remove works through Consul and the primary, reinit hands
/// the re-clone to the target node's watcher through KV (the work has to happen on that machine).
/// </summary>
public static class NodeCommand
{
    /// <summary>A clone copies the whole database: on a large one that takes hours.</summary>
    private const double MaxReinitWaitSeconds = 86_400;
    private const double DefaultReinitWaitSeconds = 600;
    private static readonly TimeSpan MembershipTimeout = TimeSpan.FromSeconds(30);

    public static Command Create(CliServices services)
    {
        var node = new Command("node", "Remove a node from the cluster, or re-clone a broken standby from the primary.");
        node.Subcommands.Add(CreateRemove(services));
        node.Subcommands.Add(CreateReinit(services));
        return node;
    }

    private static Argument<string> NodeArgument(string description)
    {
        var name = new Argument<string>("NAME") { Description = description };
        name.Validators.Add(result =>
        {
            if (!NodeName.TryParse(result.GetValueOrDefault<string>(), out _, out var error)) result.AddError($"NAME: {error}");
        });
        return name;
    }

    private static Command CreateRemove(CliServices services)
    {
        var name = NodeArgument("The node to remove (dead or alive)");
        var force = OptionValues.Flag("--force", "Remove it even when it is the current primary or fewer than 3 nodes would remain");
        var json = OptionValues.Flag("--json", "Print one JSON object (node, result, refusals, steps, remaining)");
        var remove = new Command("remove",
            "Remove a node everywhere: its repmgr registration and replication slot on the primary, every KV record of it (the other nodes re-render " +
            "without it), its Consul Raft seat and membership; recorded in history. Refuses the current primary and going below 3 nodes without --force. " +
            "Running it again for a removed node changes nothing.") { name, force, json };
        remove.SetAction((parse, cancellationToken) => CommandRunner.RunOnClusterAsync(parse, services, async (context, cluster) =>
        {
            var node = NodeName.Parse(parse.GetValue(name)!);
            var asJson = parse.GetValue(json);
            // Consul answers a force-leave only after gossiping the leave, which it bounds by serf's 5 s broadcast timeout.
            var membership = services.Membership(context.OperationConsul with { RequestTimeout = Max(context.OperationConsul.RequestTimeout, MembershipTimeout) });
            try
            {
                if (!asJson) context.Out.WriteLine($"Removing {node} from the cluster:");
                var removal = new NodeRemoval(cluster.Kv, context.Keys, membership, services.Repmgr, new TransitionRecorder(cluster.Kv, context.Keys, context.Logger), services.Clock);
                var outcome = await removal.RemoveAsync(node, parse.GetValue(force), services.OperatorName(),
                    step => { if (!asJson) context.Out.WriteLine("  " + step); }, cancellationToken);
                if (asJson) WriteJson(context, node, outcome);
                else if (outcome.NothingToDo) context.Out.WriteLine($"{node} is not part of the cluster (no KV record, no Raft peer, no Consul member): nothing to do.");
                else if (outcome.Removed) context.Out.WriteLine($"Removed {node}. {outcome.Remaining.Count} node(s) remain: {string.Join(", ", outcome.Remaining)}.");
                if (outcome.Refusals.Count == 0) return ExitCodes.Ok;
                throw new NodeRequestRefusedException($"refused to remove {node}: {string.Join("; ", outcome.Refusals)}. Nothing was changed.");
            }
            finally
            {
                (membership as IDisposable)?.Dispose();
            }
        }));
        return remove;
    }

    private static Command CreateReinit(CliServices services)
    {
        var name = NodeArgument("The standby to re-clone");
        var timeout = OptionValues.Seconds("--timeout", "Seconds to wait for the node to finish the re-clone", DefaultReinitWaitSeconds, MaxReinitWaitSeconds);
        var json = OptionValues.Flag("--json", "Print one JSON object (node, request_id, state, requested_by, outcome)");
        var reinit = new Command("reinit",
            "Re-clone a broken or diverged standby from the current primary: its watcher stops PostgreSQL, keeps the old data directory aside, " +
            "clones afresh, starts it and registers it with repmgr again. Runs on any machine (the request goes through KV to that node's watcher); " +
            "refuses the primary. A request still pending is waited for, not repeated.") { name, timeout, json };
        reinit.SetAction((parse, cancellationToken) => CommandRunner.RunOnClusterAsync(parse, services, async (context, cluster) =>
        {
            var node = NodeName.Parse(parse.GetValue(name)!);
            var asJson = parse.GetValue(json);
            var requester = new ReinitRequester(cluster.Kv, context.Keys, services.Clock);
            var (request, created) = await requester.RequestAsync(node, services.OperatorName(), cancellationToken);
            if (!asJson)
            {
                context.Out.WriteLine(created
                    ? $"Requested a re-clone of {node} from the current primary (request {request.Id}); {node}'s watcher carries it out."
                    : $"A re-clone of {node} requested by {request.RequestedBy} is still pending (request {request.Id}); waiting for it.");
            }

            var finished = await requester.WaitAsync(node, request.Id, TimeSpan.FromSeconds(parse.GetValue(timeout)), record =>
            {
                if (!asJson && record.State == ReinitState.Running) context.Out.WriteLine($"  {node}'s watcher is re-cloning it (PostgreSQL stopped, old data directory kept aside).");
            }, cancellationToken);
            if (asJson) WriteJson(context, node, request, finished);
            if (finished is null)
                throw new TimeoutException($"{node} has not finished the re-clone in time; is its watcher (hamanager-watch) running? The request stays in KV and is carried out when it runs");
            if (finished.State == ReinitState.Failed) throw new InvalidOperationException($"{node}: {finished.Outcome}");
            if (!asJson) context.Out.WriteLine($"Done ({node}'s watcher): {finished.Outcome}.");
            return ExitCodes.Ok;
        }));
        return reinit;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static void WriteJson(CliContext context, NodeName node, NodeRemovalOutcome outcome)
    {
        var result = outcome.Refusals.Count > 0 ? "refused" : outcome.NothingToDo ? "nothing_to_do" : "removed";
        context.Out.WriteLine(JsonSerializer.Serialize(new NodeRemoveResult(node.Value, result, outcome.Refusals, outcome.Steps, outcome.Remaining), CliJson.Options));
    }

    private static void WriteJson(CliContext context, NodeName node, ReinitRequestRecord request, ReinitRequestRecord? finished) =>
        context.Out.WriteLine(JsonSerializer.Serialize(new NodeReinitResult(node.Value, request.Id,
            finished?.State.ToString().ToLowerInvariant() ?? "pending", request.RequestedBy, finished?.Outcome), CliJson.Options));
}
