using System.Net;
using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Watchers.Notify;
using HaManager.Watchers.Postgres;
using HaManager.Watchers.Processes;
using Serilog;

namespace HaManager.Watchers.Failover;

/// <summary>
/// Promotes this standby once the detector has decided: confirm with a consistent (leader) read that KV
/// still names the silent primary and that it is still silent, promote (pg_promote, a few hundred ms),
/// create the other nodes' replication slots so they can follow at once, then claim
/// <c>postgres/master</c> by compare-and-set with the new timeline, spool first, as every promotion is
/// recorded. A rival promotion that claimed the key first wins; this node is then fenced and rejoined.
/// </summary>
public sealed class FailoverPromoter(
    IKvStore kv, KvKeys keys, NodeName self, IPAddress address, int port, IPostgresInstance postgres, PostgresLocal local,
    NotifyHook hook, ProcessRunner runner, ILogger logger)
{
    /// <summary>
    /// The last checks before the irreversible step. A promotion needs Consul (a leader): without it the
    /// other standbys could not learn of it and follow, so a promotion would only fork the history.
    /// </summary>
    /// <returns>Null when the promotion may go ahead; otherwise why not (yet).</returns>
    public async Task<string?> CheckAsync(ClusterFacts facts, Func<CancellationToken, Task<bool>> primaryAnswers, CancellationToken cancellationToken)
    {
        var expected = facts.Master!;
        if (facts.NodeId(self) is null) return $"not promoting: no repmgr node id for {self} at '{keys.PostgresNode(self)}'";
        // Both at once: the read may wait for a new Raft leader, the probe for its timeout.
        async Task<KvEntry?> ReadMasterAsync() => (await kv.GetAsync(keys.PostgresMaster, new QueryOptions { Stale = false }, cancellationToken)).Value;
        var read = ReadMasterAsync();
        var answers = primaryAnswers(cancellationToken);
        KvEntry? entry;
        try
        {
            entry = await read;
        }
        catch (ConsulException e)
        {
            await answers;
            return $"not promoting yet: a consistent read of '{keys.PostgresMaster}' failed (Consul may be electing a leader): {e.Message}";
        }

        if (await answers) return $"not promoting: {expected.Node} answered again";
        if (entry is null || !KvJson.TryParse<PostgresMasterRecord>(entry, out var current, out _) || current.Node != expected.Node)
            return $"not promoting: a consistent read of '{keys.PostgresMaster}' no longer names {expected.Node}";
        return null;
    }

    public Task<string> PromoteAsync(ClusterFacts facts, FailoverDecision decision, CancellationToken cancellationToken) =>
        PromoteAsync(facts, decision.Sentence, RepmgrEvent.HamanagerFailoverPromote, cancellationToken);

    /// <param name="reason">Why, for the log and the recorded transition.</param>
    /// <param name="promoteEvent">How the promotion is recorded: a failover's or a planned switchover's.</param>
    public async Task<string> PromoteAsync(ClusterFacts facts, string reason, string promoteEvent, CancellationToken cancellationToken)
    {
        var selfId = facts.NodeId(self)!.Value;
        await postgres.PromoteAsync(cancellationToken);
        var timeline = local.Timeline();
        logger.Warning("Promoted the local PostgreSQL to primary on timeline {Timeline}: {Reason}", timeline, reason);

        var slots = facts.PostgresNodes.Where(n => n.Key != self.Value).Select(n => StandbyUpstream.SlotName(n.Value.NodeId)).ToList();
        await TryAsync("create the other nodes' replication slots", () => postgres.EnsureSlotsAsync(slots, cancellationToken));

        var promotion = new RepmgrEvent
        {
            Node = self, At = DateTimeOffset.UtcNow, NodeId = selfId, Event = promoteEvent, Success = true,
            Host = address, Port = port, Timeline = timeline, PreviousState = "STANDBY", RepmgrDetails = reason,
        };
        var outcome = await hook.RecordOrSpoolAsync(promotion, cancellationToken);

        await TryAsync("clear primary_conninfo", () => postgres.ClearUpstreamAsync(cancellationToken));
        // A checkpoint on the new timeline right away: a rewind taken from this node before its first one would be unusable.
        await TryAsync("checkpoint", () => postgres.CheckpointAsync(cancellationToken));
        await TryAsync("update repmgr's metadata (repmgr primary register -F)", async () =>
        {
            var result = await runner.RunAsync(local.AsOsUser(local.Bin("repmgr"), "-f", local.RepmgrConfigFile, "primary", "register", "-F"),
                TimeSpan.FromSeconds(30), cancellationToken, local.ToolEnvironment);
            if (!result.Succeeded) throw new InvalidOperationException($"exit {result.ExitCode}: {result.OutputTail(400)}");
        });
        return outcome == NotifyOutcome.Recorded
            ? $"promoted {self} on timeline {timeline} and registered it at '{keys.PostgresMaster}'"
            : $"promoted {self} on timeline {timeline}; recording it at '{keys.PostgresMaster}' is spooled (Consul did not answer) and will be replayed";
    }

    private async Task TryAsync(string what, Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.Warning("After the promotion, could not {What}: {Reason}", what, e.Message);
        }
    }
}
