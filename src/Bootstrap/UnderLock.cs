using HaManager.Cluster.Locks;

namespace HaManager.Bootstrap;

/// <summary>
/// Runs bootstrap steps that need the bootstrap lock (priorities, node ids, who becomes primary). If the
/// lock is lost midway (its session destroyed or expired), the running step is cancelled and bootstrap
/// stops with a message naming it: carrying on could duplicate a priority or a node id.
/// </summary>
public static class UnderLock
{
    public static async Task RunAsync(ILockLease lease, BootstrapProgress progress, Func<CancellationToken, Task> steps, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
        try
        {
            await steps(linked.Token);
        }
        catch (OperationCanceledException) when (lease.Lost.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new BootstrapException(
                $"lost the bootstrap lock '{lease.Key}' during \"{progress.CurrentStep}\" ({lease.LostReason}); " +
                "that step was aborted and nothing after it was done. Re-run the same bootstrap command: it converges.");
        }

        if (lease.Lost.IsCancellationRequested)
            throw new BootstrapException($"lost the bootstrap lock '{lease.Key}' ({lease.LostReason}) as the steps under it finished; re-run the same bootstrap command: it converges.");
    }
}
