using System.Diagnostics;
using System.Globalization;
using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;

namespace HaManager.Cli.Switchover;

/// <summary>
/// The steps of an accepted switchover, in order, each printed as it happens: pause every pgbouncer, ask the
/// old primary's watcher to stop PostgreSQL cleanly (the <c>switchover</c> record), wait for its shutdown
/// checkpoint, wait for the target's watcher to promote itself and claim <c>postgres/master</c>, wait until every
/// pgbouncer points at it, and resume. Clients are resumed whatever happens (finally). A switchover that fails
/// before the promotion is claimed is rolled back: the old primary's watcher starts it again as the primary.
/// </summary>
public sealed class SwitchoverRun(IKvStore kv, KvKeys keys, PgbouncerFleet bouncers, SwitchoverPlan plan, Action<string> print)
{
    public static readonly TimeSpan PauseTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan PromoteTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan RetargetTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan RollbackTimeout = TimeSpan.FromSeconds(30);
    /// <summary>Generous next to the steps' own timeouts: until then the failure detectors stay paused.</summary>
    public static readonly TimeSpan RecordLifetime = TimeSpan.FromSeconds(120);

    private readonly Stopwatch _clock = new();
    private readonly List<SwitchoverStep> _steps = [];
    private readonly SwitchoverRecordWatch _watch = new(kv, keys);

    public IReadOnlyList<SwitchoverStep> Steps => _steps;
    public TimeSpan Elapsed => _clock.Elapsed;

    public async Task<SwitchoverResult> RunAsync(CancellationToken cancellationToken)
    {
        _clock.Start();
        TimeSpan? pausedAt = null, resumedAt = null;
        var recordWritten = false;
        string outcome;
        string? error = null;
        try
        {
            Step($"pausing clients on every pgbouncer ({string.Join(", ", bouncers.Nodes)}): new queries wait, running transactions finish");
            pausedAt = _clock.Elapsed;
            try
            {
                await bouncers.PauseAllAsync(PauseTimeout, cancellationToken);
            }
            catch (Exception e) when (e is TimeoutException or InvalidOperationException)
            {
                return Finish(SwitchoverResult.Refused, $"could not pause clients: {e.Message} (with pgbouncer.pool_mode session, PAUSE waits for every client to disconnect)");
            }

            Step("clients paused");
            await StartRecordAsync(cancellationToken);
            recordWritten = true;
            Step($"asked {plan.From}'s watcher to stop PostgreSQL cleanly ('{keys.Switchover}' phase {SwitchoverRecord.Stopping})");
            (outcome, error) = await SwitchAsync(cancellationToken);
        }
        finally
        {
            if (pausedAt is not null)
            {
                var failures = await bouncers.ResumeAllAsync();
                resumedAt = _clock.Elapsed;
                Step(failures.Count == 0 ? "clients resumed on every pgbouncer" : "clients resumed, except: " + string.Join("; ", failures));
                if (failures.Count > 0) error = string.Join("; ", new[] { error }.OfType<string>().Concat(failures));
            }

            if (recordWritten) await EndRecordAsync();
        }

        return Finish(outcome, error, resumedAt - pausedAt);
    }

    private async Task<(string Outcome, string? Error)> SwitchAsync(CancellationToken cancellationToken)
    {
        var stopped = await _watch.RecordAsync(r => r.Phase != SwitchoverRecord.Stopping, StopTimeout, cancellationToken);
        if (stopped?.Record is not { Phase: SwitchoverRecord.Stopped } record)
            return await RollBackAsync(stopped?.Record.Error ?? $"{plan.From} did not report a clean stop within {StopTimeout.TotalSeconds:0} s", cancellationToken);
        Step($"{plan.From} stopped cleanly (shutdown checkpoint {record.StopLsn}); {plan.To} promotes itself once it has received it");

        var promoted = await WaitForPromotionAsync(cancellationToken);
        if (promoted is null)
        {
            var current = await _watch.CurrentAsync(cancellationToken);
            var why = current?.Record.Error ?? $"{plan.To} was not promoted within {PromoteTimeout.TotalSeconds:0} s";
            if (current?.Record.Phase is not (SwitchoverRecord.Promoting or SwitchoverRecord.Promoted)) return await RollBackAsync(why, cancellationToken);
            return (SwitchoverResult.FailedOutcome, $"{why}; it had claimed the promotion, so there is no way back: check '{keys.PostgresMaster}' and `hamanager status`");
        }

        Step($"{plan.To} is the primary: '{keys.PostgresMaster}' names it on timeline {promoted.Timeline?.ToString(CultureInfo.InvariantCulture) ?? "?"}");
        try
        {
            await bouncers.WaitForTargetAsync(plan.ToAddress.ToString(), RetargetTimeout, cancellationToken);
            Step($"every pgbouncer points at {plan.To} ({plan.ToAddress})");
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            // The primary has moved already: resuming is right, a lagging pgbouncer's watcher still retargets it.
            Step($"not every pgbouncer points at {plan.To} yet: {e.Message}");
        }

        return (SwitchoverResult.Switched, null);
    }

    /// <summary>Waits for the new master, or for the target's watcher to report that it cannot promote.</summary>
    private async Task<PostgresMasterRecord?> WaitForPromotionAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + PromoteTimeout;
        while (DateTime.UtcNow < deadline)
        {
            var master = await _watch.MasterAsync(m => m.Node == plan.To, TimeSpan.FromSeconds(1), cancellationToken);
            if (master is not null) return master.Value.Record;
            if ((await _watch.CurrentAsync(cancellationToken))?.Record.Phase == SwitchoverRecord.Failed) return null;
        }

        return null;
    }

    /// <summary>Only before the target claimed the promotion: then the old primary is still the registered master.</summary>
    private async Task<(string, string?)> RollBackAsync(string why, CancellationToken cancellationToken)
    {
        Step($"giving up: {why}; rolling back");
        while (true)
        {
            var current = await _watch.CurrentAsync(CancellationToken.None);
            if (current is not { } c) return (SwitchoverResult.FailedOutcome, $"{why}; the switchover record vanished, so {plan.From} was not started again: check `hamanager status`");
            if (c.Record.Phase is SwitchoverRecord.Promoting or SwitchoverRecord.Promoted)
            {
                Step($"{plan.To} claimed the promotion meanwhile: waiting for it instead");
                return await WaitForPromotionAsync(cancellationToken) is null
                    ? (SwitchoverResult.FailedOutcome, $"{why}; {plan.To} claimed the promotion but did not complete it")
                    : (SwitchoverResult.Switched, null);
            }

            if (await kv.PutAsync(keys.Switchover, KvJson.Serialize(c.Record with { Phase = SwitchoverRecord.RollingBack, Error = c.Record.Error }), c.Entry.ModifyIndex, CancellationToken.None))
                break;
        }

        var done = await _watch.RecordAsync(r => r.Phase is SwitchoverRecord.RolledBack or SwitchoverRecord.Failed, RollbackTimeout, CancellationToken.None);
        if (done?.Record.Phase == SwitchoverRecord.RolledBack)
        {
            Step($"rolled back: {plan.From} runs as the primary again");
            return (SwitchoverResult.RolledBack, why);
        }

        return (SwitchoverResult.FailedOutcome, $"{why}; the rollback did not complete ({done?.Record.Error ?? "no answer from " + plan.From + "'s watcher"}): check `hamanager status`");
    }

    private async Task StartRecordAsync(CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var record = new SwitchoverRecord
        {
            From = plan.From, To = plan.To, By = plan.By, Phase = SwitchoverRecord.Stopping, Started = now, Deadline = now + RecordLifetime,
        };
        // A leftover record (expired, or finished) is replaced; the lock makes this the only writer.
        var existing = (await kv.GetAsync(keys.Switchover, null, cancellationToken)).Value;
        if (!await kv.PutAsync(keys.Switchover, KvJson.Serialize(record), existing?.ModifyIndex ?? 0, cancellationToken))
            throw new InvalidOperationException($"'{keys.Switchover}' changed while this switchover started it; nothing was stopped");
    }

    /// <summary>
    /// Removed once the outcome is settled (switched or rolled back); a switchover stuck half-way keeps its record
    /// until the deadline, so its old primary is not fenced and the rollback can still complete.
    /// </summary>
    private async Task EndRecordAsync()
    {
        var current = await _watch.CurrentAsync(CancellationToken.None);
        if (current is not { } c) return;
        var master = (await kv.GetAsync(keys.PostgresMaster, null, CancellationToken.None)).Value;
        var switched = master is not null && KvJson.TryParse<PostgresMasterRecord>(master, out var m, out _) && m.Node == plan.To;
        if (switched || c.Record.Phase == SwitchoverRecord.RolledBack) await kv.DeleteAsync(keys.Switchover, c.Entry.ModifyIndex, CancellationToken.None);
    }

    private SwitchoverResult Finish(string outcome, string? error, TimeSpan? paused = null) =>
        new(outcome, plan.From.Value, plan.To.Value, paused?.TotalSeconds is { } s ? Math.Round(s, 3) : null, Math.Round(_clock.Elapsed.TotalSeconds, 3), null, error, _steps);

    private void Step(string text)
    {
        var step = new SwitchoverStep(Math.Round(_clock.Elapsed.TotalSeconds, 3), text);
        _steps.Add(step);
        print(string.Create(CultureInfo.InvariantCulture, $"[{step.AtSeconds,6:0.00} s] {text}"));
    }
}
