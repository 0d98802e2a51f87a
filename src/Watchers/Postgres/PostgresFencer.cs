using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Watchers.Engine;
using HaManager.Watchers.Services;
using Serilog;

namespace HaManager.Watchers.Postgres;

/// <summary>
/// No split brain: a local PostgreSQL running as a primary while KV names another master (a healed
/// partition, an old primary started by hand) is stopped at once, then rejoined as a standby of the
/// registered master. If the rejoin fails it stays stopped and the next cycle tries again.
/// </summary>
public sealed class PostgresFencer(
    IKvStore kv, KvKeys keys, NodeName node, PostgresLocal local, IServiceManager services, PostgresRejoin rejoin, ILogger logger) : IReconciler
{
    public string Name => "postgres fencing";

    public IReadOnlyList<string> Prefixes { get; } = [keys.PostgresMaster, keys.NodesPrefix];

    public async Task<string?> ReconcileAsync(KvSnapshot snapshot, CancellationToken cancellationToken)
    {
        var errors = new List<KvValueError>();
        var master = snapshot.Parse<PostgresMasterRecord>(keys.PostgresMaster, errors);
        if (master is null || master.Node == node || !local.DataDirectoryExists() || local.IsStandbyDataDirectory()) return null;
        if (!snapshot.ParseRegisteredNodes(errors).TryGetValue(master.Node.Value, out var registered) || !registered.Address.Equals(master.Host))
        {
            return null; // a master KV cannot vouch for (unregistered node, wrong address) never fences anyone
        }

        if (local.ReadPromotedAt() is { } promotedAt && promotedAt >= master.Since)
        {
            return null; // promoted after the registered master: KV has not caught up yet (the promote hook or its spool will)
        }

        var running = await services.IsRunningAsync("postgresql", local.PostgresService, cancellationToken);
        var fenced = await IsFencedAsync(cancellationToken);
        if (!running && !fenced) return null; // stopped and never fenced: bootstrap decides how it comes back

        if (running)
        {
            await services.StopAsync("postgresql", local.PostgresService, cancellationToken);
            await MarkFencedAsync(master, cancellationToken);
            logger.Warning("Fenced the local PostgreSQL primary: '{Key}' names {Master} since {Since:O}", keys.PostgresMaster, master.Node.Value, master.Since);
        }

        var outcome = await rejoin.RejoinAsync(master, cancellationToken);
        return $"this node ran as a primary while {master.Node} is the registered master: stopped it and {outcome}";
    }

    private async Task<bool> IsFencedAsync(CancellationToken cancellationToken)
    {
        var entry = (await kv.GetAsync(keys.PostgresNode(node), null, cancellationToken)).Value;
        return entry is not null && KvJson.TryParse<PostgresNodeRecord>(entry, out var record, out _) && record.Role == PostgresRole.Fenced;
    }

    private async Task MarkFencedAsync(PostgresMasterRecord master, CancellationToken cancellationToken)
    {
        var key = keys.PostgresNode(node);
        var entry = (await kv.GetAsync(key, null, cancellationToken)).Value;
        var nodeId = entry is not null && KvJson.TryParse<PostgresNodeRecord>(entry, out var record, out _) ? record.NodeId : 0;
        if (nodeId == 0) return;
        var fenced = new PostgresNodeRecord { NodeId = nodeId, Role = PostgresRole.Fenced, Upstream = master.Node, Since = DateTimeOffset.UtcNow };
        await kv.PutAsync(key, KvJson.Serialize(fenced), entry!.ModifyIndex, cancellationToken);
        var transition = new Transition
        {
            Node = node, Service = "postgres", From = "PRIMARY", To = "FENCED", At = fenced.Since.Value,
            Details = $"{master.Node} is the registered master since {master.Since:O}; the local primary was stopped",
        };
        await kv.PutAsync(keys.Transition(transition.At, node, "postgres"), KvJson.Serialize(transition), 0, cancellationToken);
    }
}
