using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Watchers.Notify;

namespace HaManager.Cli.Nodes;

/// <summary>
/// `hamanager node remove`: takes a node out of the cluster everywhere, in an order that can be re-run after any
/// failure. repmgr first (its failure changes nothing, so the node stays visible for a retry), then the KV records
/// (every other node's watcher re-renders without it), then its Raft seat and gossip membership, then history.
/// </summary>
public sealed class NodeRemoval(IKvStore kv, KvKeys keys, IClusterMembership membership, IRepmgrRegistry repmgr, TransitionRecorder recorder, TimeProvider clock)
{
    /// <summary>Below this, one more failure loses the majority that both Consul and the failure detector need.</summary>
    public const int MinimumNodes = 3;

    /// <param name="step">Told each step as it is done, for the operator.</param>
    public async Task<NodeRemovalOutcome> RemoveAsync(NodeName node, bool force, string by, Action<string> step, CancellationToken cancellationToken)
    {
        var footprint = await NodeFootprint.ReadAsync(kv, keys, membership, node, cancellationToken);
        var steps = new List<string>();
        void Report(string text)
        {
            steps.Add(text);
            step(text);
        }

        if (footprint.IsEmpty) return new NodeRemovalOutcome([], NothingToDo: true, steps, footprint.Others);
        var refusals = NodeRemovalRules.Refusals(footprint, force);
        if (refusals.Count > 0) return new NodeRemovalOutcome(refusals, NothingToDo: false, steps, footprint.Others);

        await UnregisterFromRepmgrAsync(footprint, force, Report, cancellationToken);
        await DeleteRecordsAsync(footprint, Report, cancellationToken);
        await LeaveConsulAsync(footprint, Report, cancellationToken);
        await recorder.AppendTransitionAsync(new Transition
        {
            Node = node, Service = "node", From = "member", To = "removed", At = clock.GetUtcNow(),
            Details = $"removed by {by}{(force ? " with --force" : string.Empty)}; remaining: {string.Join(", ", footprint.Others)}",
        }, cancellationToken);
        Report($"history: recorded {node} node member → removed");
        return new NodeRemovalOutcome([], NothingToDo: false, steps, footprint.Others);
    }

    private async Task UnregisterFromRepmgrAsync(NodeFootprint footprint, bool force, Action<string> report, CancellationToken cancellationToken)
    {
        var node = footprint.Node;
        if (footprint.Master is not { } master)
        {
            report($"repmgr: no primary is registered at '{keys.PostgresMaster}'; nothing to unregister {node} from");
            return;
        }

        if (footprint.IsPrimary)
        {
            report($"repmgr: {node} is the registered primary itself; there is no other primary to unregister it on (warning: '{keys.PostgresMaster}' still names it until another node is promoted)");
            return;
        }

        try
        {
            var secrets = await ReadSecretsAsync(cancellationToken);
            var done = await repmgr.UnregisterAsync(master, secrets, node, footprint.RepmgrNodeId, cancellationToken);
            report(done.ChangedAnything
                ? $"repmgr: on the primary {master.Node}, deleted node id(s) {Join(done.NodeIds)} from repmgr.nodes and dropped slot(s) {Join(done.DroppedSlots)}"
                : $"repmgr: {node} had no registration and no replication slot on the primary {master.Node}");
        }
        catch (Exception e) when (force && e is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            report($"repmgr: warning: could not unregister {node} on the primary {master.Node} ({e.Message}); continuing because of --force — " +
                   $"its row in repmgr.nodes and slot {SlotHint(footprint)} may remain there");
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            throw new InvalidOperationException(
                $"could not unregister {node} from repmgr on the primary {master.Node} ({master.Host}): {e.Message}. Nothing was removed; " +
                "run the command again when the primary answers (or add --force to remove the node and leave its repmgr row and slot)", e);
        }
    }

    private async Task DeleteRecordsAsync(NodeFootprint footprint, Action<string> report, CancellationToken cancellationToken)
    {
        foreach (var key in footprint.Keys)
        {
            await kv.DeleteAsync(key, null, cancellationToken);
            report($"KV: deleted {key}");
        }

        if (footprint.Keys.Count == 0) report($"KV: no record of {footprint.Node} was left");
        else report($"KV: the other nodes' watchers now render without {footprint.Node} (keepalived unicast peers, pg_hba.conf, synchronous_standby_names, syncthing devices)");
    }

    private async Task LeaveConsulAsync(NodeFootprint footprint, Action<string> report, CancellationToken cancellationToken)
    {
        var node = footprint.Node;
        if (footprint.RaftServer is { } server)
        {
            await membership.RemoveRaftPeerAsync(server.Address, cancellationToken);
            report($"Consul: removed {server.Node} ({server.Address}) from the Raft peers");
        }
        else
        {
            report($"Consul: {node} was not a Raft peer");
        }

        if (footprint.Member is { } member)
        {
            await membership.ForceLeaveAsync(member.Name, cancellationToken);
            report(member.IsAlive
                ? $"Consul: forced {node} to leave and pruned it from the members; warning: its agent is still running and will join again until it is stopped on {node}"
                : $"Consul: forced {node} to leave and pruned it from the members");
        }
        else
        {
            report($"Consul: {node} was not a member");
        }
    }

    private async Task<PostgresSecrets> ReadSecretsAsync(CancellationToken cancellationToken)
    {
        var entry = (await kv.GetAsync(keys.PostgresSecrets, null, cancellationToken)).Value
                    ?? throw new InvalidOperationException($"'{keys.PostgresSecrets}' is missing: cannot log in to the primary as repmgr");
        return KvJson.Parse<PostgresSecrets>(entry);
    }

    private static string SlotHint(NodeFootprint footprint) =>
        footprint.RepmgrNodeId is { } id ? HaManager.Watchers.Postgres.StandbyUpstream.SlotName(id) : "repmgr_slot_<id>";

    private static string Join<T>(IEnumerable<T> items)
    {
        var text = string.Join(", ", items);
        return text.Length == 0 ? "none" : text;
    }
}
