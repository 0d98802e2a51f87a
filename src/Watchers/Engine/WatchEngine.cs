using System.Collections.Concurrent;
using System.Threading.Channels;
using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Watchers.Files;
using HaManager.Watchers.Processes;
using HaManager.Watchers.Services;
using Serilog;

namespace HaManager.Watchers.Engine;

/// <summary>
/// Turns KV changes into files and reloads: one blocking-query loop per watched prefix feeds a cache;
/// after a quiet period every watcher renders from one snapshot; changed files are validated and
/// atomically replaced, and each affected service is reloaded once. Invalid or missing data keeps the
/// current files; Consul being unreachable keeps everything as it is while the loops retry.
/// Watchers that render independently (pgbouncer, keepalived) each run in a lane of their own on the newest
/// snapshot; the others render in order and then the reconcilers run, all in one loop, since a reconciler may
/// replace the files those watchers write (a rejoin or re-clone of the data directory).
/// </summary>
public sealed class WatchEngine(
    IKvStore kv,
    KvKeys keys,
    IReadOnlyList<IServiceWatcher> watchers,
    IServiceManager services,
    ProcessRunner runner,
    WatchEngineOptions options,
    ILogger logger,
    IReadOnlyList<IReconciler>? reconcilers = null,
    LastKnownGoodStore? lastKnownGood = null)
{
    private readonly IReadOnlyList<IReconciler> _reconcilers = reconcilers ?? [];
    private readonly LastKnownGoodStore _lastKnownGood = lastKnownGood ?? new LastKnownGoodStore(new KvRecordCatalog(keys), null, logger);
    private IReadOnlyList<InvalidKey> _invalid = [];
    private static readonly TimeSpan MaxDebounce = TimeSpan.FromSeconds(2);
    private readonly ConcurrentDictionary<string, IReadOnlyList<KvEntry>> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _lastSentence = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<IServiceWatcher> _inOrder = watchers.Where(w => !w.RendersIndependently).ToArray();
    private readonly IReadOnlyList<IServiceWatcher> _independent = watchers.Where(w => w.RendersIndependently).ToArray();
    private readonly Channel<bool> _changes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public event Action<WatcherCycleReport>? CycleCompleted;

    /// <summary>Raised with every snapshot the watchers rendered from (invalid values already replaced or left out).</summary>
    public event Action<KvSnapshot>? SnapshotTaken;

    /// <summary>The keys whose current value is invalid, as of the latest snapshot.</summary>
    public IReadOnlyList<InvalidKey> InvalidKeys => _invalid;

    private IReadOnlyList<string> Prefixes { get; } =
        watchers.SelectMany(w => w.Prefixes).Concat((reconcilers ?? []).SelectMany(r => r.Prefixes)).Distinct(StringComparer.Ordinal).ToArray();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        logger.Information("Watching {Prefixes} for {Watchers}", Prefixes, watchers.Select(w => w.Name));
        var pollers = Prefixes.Select(p => Task.Run(() => PollAsync(p, cancellationToken), CancellationToken.None)).ToList();
        if (_reconcilers.Count > 0) pollers.Add(TickAsync(cancellationToken));
        // The snapshot loop below never waits for a render: each lane takes the newest snapshot when it is free.
        var lanes = _independent.Select(w => new Lane((snapshot, ct) => RenderAndReportAsync(w, snapshot, ct))).ToList();
        lanes.Add(new Lane(async (snapshot, ct) =>
        {
            await RenderEachAsync(_inOrder, snapshot, ct);
            await ReconcileAllAsync(snapshot, ct);
        }));
        var laneTasks = lanes.Select(lane => Task.Run(() => lane.RunAsync(cancellationToken), CancellationToken.None)).ToList();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await _changes.Reader.ReadAsync(cancellationToken);
                await DebounceAsync(cancellationToken);
                if (Prefixes.Any(p => !_cache.ContainsKey(p))) continue;
                var current = _cache.Values.SelectMany(v => v).GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
                var sanitized = await _lastKnownGood.SanitizeAsync(current, cancellationToken);
                ReportInvalidKeys(sanitized.Invalid);
                var snapshot = new KvSnapshot(keys, sanitized.Entries);
                SnapshotTaken?.Invoke(snapshot);
                foreach (var lane in lanes) lane.Offer(snapshot);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        await Task.WhenAll(pollers.Concat(laneTasks));
    }

    /// <summary>Renders every watcher from one snapshot, in order; a failure in one never stops the others.</summary>
    public Task<IReadOnlyList<WatcherCycleReport>> RenderAllAsync(KvSnapshot snapshot, CancellationToken cancellationToken) =>
        RenderEachAsync(watchers, snapshot, cancellationToken);

    private async Task<IReadOnlyList<WatcherCycleReport>> RenderEachAsync(IReadOnlyList<IServiceWatcher> some, KvSnapshot snapshot, CancellationToken cancellationToken)
    {
        var reports = new List<WatcherCycleReport>();
        foreach (var watcher in some) reports.Add(await RenderAndReportAsync(watcher, snapshot, cancellationToken));
        return reports;
    }

    private async Task<WatcherCycleReport> RenderAndReportAsync(IServiceWatcher watcher, KvSnapshot snapshot, CancellationToken cancellationToken)
    {
        WatcherCycleReport report;
        try
        {
            report = await RenderAsync(watcher, snapshot, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            report = new WatcherCycleReport(watcher.Name, WatchOutput.NotReady(e.Message), [], false,
                $"{watcher.Name}: kept the current files, the render failed: {e.Message}") { Failed = true };
            logger.Error(e, "{Sentence}", report.Sentence);
        }

        _lastSentence[watcher.Name] = report.Sentence;
        CycleCompleted?.Invoke(report);
        return report;
    }

    /// <summary>Work that runs on the newest snapshot offered; snapshots offered while it works are skipped, except the newest.</summary>
    private sealed class Lane(Func<KvSnapshot, CancellationToken, Task> work)
    {
        private readonly Channel<KvSnapshot> _snapshots =
            Channel.CreateBounded<KvSnapshot>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

        public void Offer(KvSnapshot snapshot) => _snapshots.Writer.TryWrite(snapshot);

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            try
            {
                while (true) await work(await _snapshots.Reader.ReadAsync(cancellationToken), cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
        }
    }

    public async Task ReconcileAllAsync(KvSnapshot snapshot, CancellationToken cancellationToken)
    {
        foreach (var reconciler in _reconcilers)
        {
            try
            {
                if (await reconciler.ReconcileAsync(snapshot, cancellationToken) is { } sentence) logger.Information("{Reconciler}: {Sentence}", reconciler.Name, sentence);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.Error("{Reconciler}: failed, will retry: {Reason}", reconciler.Name, e.Message);
            }
        }
    }

    /// <summary>Reconcilers also run when KV is quiet, so a failed fence or rejoin is retried.</summary>
    private async Task TickAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.ReconcileInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken)) _changes.Writer.TryWrite(true);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<WatcherCycleReport> RenderAsync(IServiceWatcher watcher, KvSnapshot snapshot, CancellationToken cancellationToken)
    {
        var output = watcher.Render(snapshot);
        if (output.Errors.Count > 0)
        {
            var sentence = $"{watcher.Name}: kept the current files because of invalid KV data: {string.Join("; ", output.Errors)}";
            logger.Write(IsRepeat(watcher, sentence) ? Serilog.Events.LogEventLevel.Debug : Serilog.Events.LogEventLevel.Warning, "{Sentence}", sentence);
            return new WatcherCycleReport(watcher.Name, output, [], false, sentence);
        }

        if (output.NotReadyReason is not null)
        {
            var sentence = $"{watcher.Name}: kept the current files, not enough data yet: {output.NotReadyReason}";
            logger.Write(IsRepeat(watcher, sentence) ? Serilog.Events.LogEventLevel.Debug : Serilog.Events.LogEventLevel.Information, "{Sentence}", sentence);
            return new WatcherCycleReport(watcher.Name, output, [], false, sentence);
        }

        var results = new List<FileWriteResult>();
        foreach (var file in output.Files)
        {
            results.Add(await AtomicFile.WriteAsync(file.Path, file.Content, file.Mode, ValidatorFor(file), cancellationToken, file.Owner));
        }

        var reloaded = false;
        if (results.Any(r => r.Changed))
        {
            reloaded = await services.ReloadIfRunningAsync(watcher.Service.Name, watcher.Service.Options, cancellationToken);
        }

        var report = new WatcherCycleReport(watcher.Name, output, results, reloaded, Describe(watcher, output, results, reloaded));
        if (report.Rejected) logger.Error("{Sentence}", report.Sentence);
        else if (report.Changed) logger.Information("{Sentence}", report.Sentence);
        else logger.Debug("{Sentence}", report.Sentence);
        return report;
    }

    /// <summary>Each invalid key is logged when it turns invalid (or its reason changes), and once when it is valid or gone again.</summary>
    private void ReportInvalidKeys(IReadOnlyList<InvalidKey> invalid)
    {
        var before = _invalid.ToDictionary(i => i.Key, StringComparer.Ordinal);
        foreach (var key in invalid.Where(i => !before.TryGetValue(i.Key, out var old) || old.Reason != i.Reason))
            logger.Warning("KV key {Key} holds an invalid value, it affects only itself: {Sentence}", key.Key, key.ToString());
        var now = invalid.Select(i => i.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var fixedKey in before.Keys.Where(k => !now.Contains(k)))
            logger.Information("KV key {Key} is valid again (or was deleted); its current value is used", fixedKey);
        _invalid = invalid;
    }

    /// <summary>The same complaint every cycle would bury the log: say it once, then at debug level.</summary>
    private bool IsRepeat(IServiceWatcher watcher, string sentence) =>
        _lastSentence.TryGetValue(watcher.Name, out var last) && last == sentence;

    private static string Describe(IServiceWatcher watcher, WatchOutput output, IReadOnlyList<FileWriteResult> results, bool reloaded)
    {
        var parts = results.Select(r => r.Outcome switch
        {
            FileWriteOutcome.Written => $"rendered {r.Path} ({output.Summary})",
            FileWriteOutcome.Unchanged => $"{r.Path} unchanged",
            _ => $"kept {r.Path}: the rendered file failed validation: {r.Reason}",
        }).ToList();
        if (results.Any(r => r.Changed)) parts.Add(reloaded ? $"reloaded {watcher.Service.Name}" : $"{watcher.Service.Name} is not running, not reloaded");
        return $"{watcher.Name}: {string.Join("; ", parts)}";
    }

    private AtomicFile.Validator? ValidatorFor(RenderedFile file)
    {
        if (file.ValidateCommand is not { Count: > 0 } command) return null;
        return async (candidate, ct) =>
        {
            var argv = command.Select(a => a.Replace(RenderedFile.FilePlaceholder, candidate, StringComparison.Ordinal)).ToArray();
            var result = await runner.RunAsync(argv, options.CommandTimeout, ct);
            return result.Succeeded ? null : $"'{result.CommandLine}' exited {result.ExitCode}: {result.OutputTail(500)}";
        };
    }

    private async Task DebounceAsync(CancellationToken cancellationToken)
    {
        var started = DateTime.UtcNow;
        while (DateTime.UtcNow - started < MaxDebounce)
        {
            using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            quiet.CancelAfter(options.Debounce);
            try
            {
                await _changes.Reader.ReadAsync(quiet.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task PollAsync(string prefix, CancellationToken cancellationToken)
    {
        var index = new BlockingIndex();
        var backoff = new Backoff(options.InitialRetryDelay);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var query = new QueryOptions { WaitIndex = index.Current, WaitTime = options.Wait, Stale = true };
                var result = await kv.ListAsync(prefix, query, cancellationToken);
                if (backoff.Failures > 0) logger.Information("Consul answered again for {Prefix} after {Failures} failed attempts", prefix, backoff.Failures);
                backoff.Reset();
                var advanced = index.Advance(result.Index);
                var known = _cache.TryGetValue(prefix, out var previous);
                if ((advanced || !known) && (!known || !SameEntries(previous!, result.Value)))
                {
                    _cache[prefix] = result.Value;
                    _changes.Writer.TryWrite(true);
                }
            }
            catch (ConsulException e)
            {
                var delay = backoff.NextDelay();
                if (backoff.Failures == 1) logger.Warning("Could not read {Prefix} from Consul, keeping the current files and retrying: {Reason}", prefix, e.Message);
                else logger.Debug("Still cannot read {Prefix} (attempt {Attempt}), next try in {DelayMs} ms", prefix, backoff.Failures, (int)delay.TotalMilliseconds);
                await DelayAsync(delay, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private static bool SameEntries(IReadOnlyList<KvEntry> a, IReadOnlyList<KvEntry> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.Key == p.Second.Key && p.First.ModifyIndex == p.Second.ModifyIndex
            && p.First.Value.AsSpan().SequenceEqual(p.Second.Value));

    private static async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try { await Task.Delay(delay, cancellationToken); }
        catch (OperationCanceledException) { }
    }
}
