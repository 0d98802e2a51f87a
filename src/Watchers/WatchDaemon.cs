using HaManager.Watchers.Engine;
using HaManager.Watchers.Failover;
using HaManager.Watchers.History;
using HaManager.Watchers.Notify;
using Serilog;

namespace HaManager.Watchers;

/// <summary>`hamanager watch`: the watch engine, the failure detector, the spool replay loop and history pruning, until cancelled.</summary>
public sealed class WatchDaemon(WatchEngine engine, FailoverDetector detector, SpoolReplayer replayer, TimeSpan replayInterval, ILogger logger,
    HistoryPruner? pruner = null)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        logger.Information("hamanager watch started");
        engine.SnapshotTaken += detector.OnSnapshot;
        var engineTask = engine.RunAsync(cancellationToken);
        var detectorTask = detector.RunAsync(cancellationToken);
        var replayTask = ReplayLoopAsync(cancellationToken);
        var pruneTask = pruner?.RunAsync(cancellationToken) ?? Task.CompletedTask;
        await Task.WhenAll(engineTask, detectorTask, replayTask, pruneTask);
        logger.Information("hamanager watch stopped; every service it manages keeps running");
    }

    private async Task ReplayLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(replayInterval);
        try
        {
            do
            {
                try
                {
                    await replayer.ReplayAsync(cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.Error(e, "Spool replay failed; will retry in {Seconds} s", replayInterval.TotalSeconds);
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
