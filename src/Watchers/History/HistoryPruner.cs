using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.History;
using HaManager.Cluster.Settings;
using Serilog;

namespace HaManager.Watchers.History;

/// <summary>
/// Keeps the transition history bounded (settings: history.max_age_days, history.max_entries). Every watcher
/// runs one, but only the one on the Consul leader's node deletes anything, so there is a single pruner
/// and nodes never race over the same keys; a leader change simply hands the job over.
/// </summary>
/// <param name="isLeader">Whether the local Consul agent is the Raft leader.</param>
public sealed class HistoryPruner(IKvStore kv, KvKeys keys, HistoryOptions options, Func<CancellationToken, Task<bool>> isLeader, TimeProvider clock, ILogger logger)
{
    /// <summary>A burst of deletions is spread over runs, so a first prune of a long history never floods Raft.</summary>
    public const int MaxDeletesPerRun = 500;

    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    /// <returns>What was deleted, as a sentence; null when this node is not the leader or nothing was due.</returns>
    public async Task<string?> PruneAsync(CancellationToken cancellationToken)
    {
        if (!await isLeader(cancellationToken)) return null;
        var names = await new TransitionHistory(kv, keys).KeyNamesAsync(cancellationToken);
        var expired = TransitionRetention.Expired(names, clock.GetUtcNow(), TimeSpan.FromDays(options.MaxAgeDays), options.MaxEntries);
        if (expired.Count == 0) return null;
        var batch = expired.Take(MaxDeletesPerRun).ToList();
        foreach (var key in batch) await kv.DeleteAsync(key, ct: cancellationToken);
        var left = expired.Count - batch.Count;
        return $"pruned {batch.Count} transition(s) older than {options.MaxAgeDays} days or beyond the newest {options.MaxEntries}; " +
               $"{names.Count - expired.Count} kept{(left > 0 ? $", {left} more next run" : string.Empty)}";
    }

    /// <summary>Until cancelled: one run now, then one per <see cref="Interval"/>; failures are logged and retried next time.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            do
            {
                try
                {
                    if (await PruneAsync(cancellationToken) is { } sentence) logger.Information("History: {Sentence}", sentence);
                }
                catch (ConsulUnavailableException e)
                {
                    logger.Debug("History pruning skipped, Consul is not answering: {Reason}", e.Message);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.Warning("History pruning failed, will retry in {Minutes} min: {Reason}", Interval.TotalMinutes, e.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
