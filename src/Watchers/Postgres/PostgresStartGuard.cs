using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;

namespace HaManager.Watchers.Postgres;

/// <summary>
/// Runs before PostgreSQL's own unit starts it (ExecStartPre), e.g. after a reboot. A standby may always
/// start: it streams from whatever KV names. A primary's data directory starts only when a consistent
/// read of <c>postgres/master</c> names this node (or no master is registered yet, during bootstrap): a
/// former primary that KV no longer names stays stopped (fenced) until `hamanager watch` rejoins it as a
/// standby, and so does one whose fate Consul cannot confirm.
/// </summary>
public sealed class PostgresStartGuard(IKvStore kv, KvKeys keys, NodeName node, PostgresLocal local)
{
    public async Task<StartGuardDecision> DecideAsync(TimeSpan consulWait, CancellationToken cancellationToken)
    {
        if (!local.DataDirectoryExists()) return new(false, $"no PostgreSQL data directory at {local.DataDir}: bootstrap this node first");
        if (local.IsStandbyDataDirectory()) return new(true, "a standby: it follows the master KV names");

        var deadline = DateTime.UtcNow + consulWait;
        string problem;
        while (true)
        {
            try
            {
                var entry = (await kv.GetAsync(keys.PostgresMaster, new QueryOptions { Stale = false }, cancellationToken)).Value;
                if (entry is null) return new(true, $"no master is registered at '{keys.PostgresMaster}' yet (bootstrap): this primary may start");
                if (!KvJson.TryParse<PostgresMasterRecord>(entry, out var master, out var error))
                    return new(false, $"'{keys.PostgresMaster}' holds an invalid value ({error.Reason}): a primary never starts unconfirmed");
                return Decide(master);
            }
            catch (ConsulException e)
            {
                problem = e.Message;
            }

            if (DateTime.UtcNow >= deadline) break;
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }

        return new(false, $"Consul could not confirm within {consulWait.TotalSeconds:0} s that this node is still the master ({problem}); " +
                          "a former primary never starts unconfirmed: `hamanager watch` starts or rejoins it once Consul answers");
    }

    private StartGuardDecision Decide(PostgresMasterRecord master)
    {
        if (master.Node == node)
        {
            return File.Exists(local.QuorumFenceFile)
                ? new(true, $"a consistent read names this node as master again; it had fenced itself ({local.QuorumFenceFile})")
                : new(true, "a consistent read names this node as master");
        }

        if (master.Timeline is { } timeline && local.Timeline() > timeline)
            return new(true, $"this node was promoted (timeline {local.Timeline()}) after the registered master {master.Node} (timeline {timeline}); its record is on its way");
        return new(false, $"KV names {master.Node} as master (timeline {master.Timeline?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"}): " +
                          "this former primary stays stopped, and `hamanager watch` rejoins it as a standby");
    }
}
