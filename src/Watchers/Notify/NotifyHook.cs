using HaManager.Cluster.Consul;
using Serilog;

namespace HaManager.Watchers.Notify;

/// <summary>
/// Records a hook's event in KV within a fixed budget, or spools it locally for `hamanager watch` to
/// replay. A hook must never hold up the service that called it, and must never lose an event.
/// </summary>
public sealed class NotifyHook(TransitionRecorder recorder, NotifySpool spool, TimeSpan budget, ILogger logger)
{
    public async Task<NotifyOutcome> RecordOrSpoolAsync(NotifyEvent notifyEvent, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(budget);
        try
        {
            await recorder.RecordAsync(notifyEvent, deadline.Token);
            return NotifyOutcome.Recorded;
        }
        catch (Exception e) when (e is ConsulException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var reason = e is OperationCanceledException ? $"Consul did not answer within {budget.TotalSeconds:0.#} s" : e.Message;
            var path = await spool.AppendAsync(notifyEvent, CancellationToken.None);
            logger.Warning("Spooled {Service} transition {From} → {To} of {Node} to {Path}: {Reason}",
                notifyEvent.Service, notifyEvent.PreviousState, notifyEvent.NewState, notifyEvent.Node.Value, path, reason);
            return NotifyOutcome.Spooled;
        }
    }
}
