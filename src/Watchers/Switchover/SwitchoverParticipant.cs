using System.Diagnostics;
using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Watchers.Engine;
using HaManager.Watchers.Failover;
using HaManager.Watchers.Notify;
using HaManager.Watchers.Postgres;
using HaManager.Watchers.Services;
using Serilog;

namespace HaManager.Watchers.Switchover;

/// <summary>
/// This node's part in a planned switchover (the CLI drives it through the <c>switchover</c> record, KV →
/// watcher like everything else): on the old primary, a clean stop of PostgreSQL through the service manager
/// and its shutdown checkpoint reported back (or, when the CLI rolls back, a start as the primary again);
/// on the target, once it has received that checkpoint, the promotion by compare-and-set claim and then the
/// same promotion the failure detector does (<see cref="FailoverPromoter"/>). Runs first among the
/// reconcilers, so <see cref="PlannedSwitchover"/> is current before the fencer looks at it.
/// </summary>
public sealed class SwitchoverParticipant(
    IKvStore kv, KvKeys keys, NodeName self, PostgresLocal local, IPostgresInstance postgres, IServiceManager services,
    PostgresControlData controlData, FailoverPromoter promoter, PlannedSwitchover planned, ILogger logger, TimeSpan? catchUpTimeout = null) : IReconciler
{
    private static readonly TimeSpan CatchUpPoll = TimeSpan.FromMilliseconds(25);
    private readonly TimeSpan _catchUpTimeout = catchUpTimeout ?? TimeSpan.FromSeconds(10);

    public string Name => "switchover";

    public IReadOnlyList<string> Prefixes { get; } = [keys.Switchover, keys.PostgresMaster, keys.NodesPrefix, keys.PostgresNodesPrefix];

    public async Task<string?> ReconcileAsync(KvSnapshot snapshot, CancellationToken cancellationToken)
    {
        var entry = snapshot.Get(keys.Switchover);
        var record = snapshot.Parse<SwitchoverRecord>(keys.Switchover, []);
        planned.Update(record);
        if (entry is null || record is null || !record.IsActive(DateTimeOffset.UtcNow)) return null;
        if (record.From == self && record.Phase == SwitchoverRecord.Stopping) return await StopAsync(entry, record, cancellationToken);
        if (record.From == self && record.Phase == SwitchoverRecord.RollingBack) return await RollBackAsync(entry, record, ClusterFacts.From(snapshot), cancellationToken);
        if (record.To == self && record.Phase == SwitchoverRecord.Stopped) return await PromoteAsync(entry, record, ClusterFacts.From(snapshot), cancellationToken);
        return null;
    }

    /// <summary>A clean (fast) shutdown: PostgreSQL writes a shutdown checkpoint and waits until connected standbys have received all of it.</summary>
    private async Task<string?> StopAsync(KvEntry entry, SwitchoverRecord record, CancellationToken cancellationToken)
    {
        if (!local.DataDirectoryExists() || local.IsStandbyDataDirectory())
            return await FailAsync(entry, record, $"{self} is not a primary: nothing to stop", cancellationToken);
        ulong checkpoint;
        try
        {
            await services.StopAsync("postgresql", local.PostgresService, cancellationToken);
            checkpoint = await controlData.ShutdownCheckpointAsync(cancellationToken);
        }
        catch (Exception e) when (e is InvalidOperationException or ServiceException or IOException)
        {
            return await FailAsync(entry, record, $"the clean stop of PostgreSQL on {self} failed: {e.Message}", cancellationToken);
        }

        var lsn = PostgresState.FormatLsn(checkpoint);
        var advanced = await AdvanceAsync(entry, record with { Phase = SwitchoverRecord.Stopped, StopLsn = lsn }, cancellationToken);
        return advanced
            ? $"stopped PostgreSQL cleanly for the switchover to {record.To} (shutdown checkpoint {lsn})"
            : $"stopped PostgreSQL for the switchover to {record.To}, but the record changed meanwhile (a rollback?); the next cycle acts on it";
    }

    /// <summary>The CLI gave up before a promotion was claimed: this node is still the registered master, so it serves again.</summary>
    private async Task<string?> RollBackAsync(KvEntry entry, SwitchoverRecord record, ClusterFacts facts, CancellationToken cancellationToken)
    {
        if (facts.Master?.Node != self || local.IsStandbyDataDirectory())
            return await FailAsync(entry, record, $"not starting {self} again as the primary: KV names {facts.Master?.Node.Value ?? "no master"}", cancellationToken);
        if (!await services.IsRunningAsync("postgresql", local.PostgresService, cancellationToken))
            await services.StartAsync("postgresql", local.PostgresService, cancellationToken);
        await AdvanceAsync(entry, record with { Phase = SwitchoverRecord.RolledBack }, cancellationToken);
        return $"switchover to {record.To} rolled back: PostgreSQL on {self} runs as the primary again";
    }

    private async Task<string?> PromoteAsync(KvEntry entry, SwitchoverRecord record, ClusterFacts facts, CancellationToken cancellationToken)
    {
        if (!PostgresState.TryParseLsn(record.StopLsn, out var stopLsn)) return null; // validation guarantees it; nothing to do otherwise
        if (facts.NodeId(self) is null) return await FailAsync(entry, record, $"{self} has no repmgr node id at '{keys.PostgresNode(self)}'", cancellationToken);
        var received = await WaitForCatchUpAsync(stopLsn, cancellationToken);
        if (received is not { } lsn || lsn <= stopLsn)
        {
            return await FailAsync(entry, record, received is null
                ? $"{self} is not a running standby"
                : $"{self} received WAL up to {PostgresState.FormatLsn(received.Value)} only, not the old primary's shutdown checkpoint {record.StopLsn}, within {_catchUpTimeout.TotalSeconds:0} s", cancellationToken);
        }

        // The claim: once the phase says promoting, the CLI can no longer roll back, so the promotion never races a restart of the old primary.
        if (!await AdvanceAsync(entry, record with { Phase = SwitchoverRecord.Promoting }, cancellationToken)) return null;
        var reason = $"planned switchover from {record.From} requested by {record.By}: received the old primary's shutdown checkpoint {record.StopLsn}";
        // In the background: the promotion's tail (checkpoint, repmgr primary register) takes seconds, and this
        // node's own pgbouncer must be retargeted by the next render cycle as soon as postgres/master names it.
        Promotion = Task.Run(() => PromoteInBackgroundAsync(facts, record, reason), CancellationToken.None);
        return $"claimed the promotion for the switchover from {record.From}; promoting";
    }

    /// <summary>The promotion started by the last claim (for tests and logs); completed when none runs.</summary>
    public Task Promotion { get; private set; } = Task.CompletedTask;

    private async Task PromoteInBackgroundAsync(ClusterFacts facts, SwitchoverRecord record, string reason)
    {
        try
        {
            var outcome = await promoter.PromoteAsync(facts, reason, RepmgrEvent.HamanagerSwitchoverPromote, CancellationToken.None);
            logger.Information("switchover: switchover from {From}: {Outcome}", record.From.Value, outcome);
            var current = (await kv.GetAsync(keys.Switchover, new QueryOptions { Stale = false }, CancellationToken.None)).Value;
            if (current is not null && KvJson.TryParse<SwitchoverRecord>(current, out var claimed, out _) && claimed.Phase == SwitchoverRecord.Promoting)
                await AdvanceAsync(current, claimed with { Phase = SwitchoverRecord.Promoted }, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.Error("switchover: the promotion of {Node} failed after it was claimed: {Reason}", self.Value, e.Message);
        }
    }

    /// <returns>The WAL received so far (null when this node is not a running standby).</returns>
    private async Task<ulong?> WaitForCatchUpAsync(ulong stopLsn, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var state = await postgres.ReadStateAsync(cancellationToken);
            if (!state.IsStandby) return null;
            var received = state.ReceiveLsn ?? 0;
            if (received > stopLsn || clock.Elapsed >= _catchUpTimeout) return received;
            await Task.Delay(CatchUpPoll, cancellationToken);
        }
    }

    private async Task<string> FailAsync(KvEntry entry, SwitchoverRecord record, string why, CancellationToken cancellationToken)
    {
        logger.Warning("Switchover from {From} to {To} cannot go on: {Why}", record.From.Value, record.To.Value, why);
        await AdvanceAsync(entry, record with { Phase = SwitchoverRecord.Failed, Error = Bounded(why) }, cancellationToken);
        return $"switchover step failed: {why}";
    }

    private Task<bool> AdvanceAsync(KvEntry entry, SwitchoverRecord next, CancellationToken cancellationToken) =>
        kv.PutAsync(keys.Switchover, KvJson.Serialize(next), entry.ModifyIndex, cancellationToken);

    private static string Bounded(string text)
    {
        var printable = new string(text.Select(c => char.IsControl(c) ? ' ' : c).ToArray());
        return printable.Length <= SwitchoverRecord.MaxTextLength ? printable : printable[..(SwitchoverRecord.MaxTextLength - 1)] + "…";
    }
}
