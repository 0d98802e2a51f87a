using HaManager.Cluster.Consul;
using Serilog;

namespace HaManager.Watchers.Notify;

/// <summary>
/// Records a hook's event without ever losing it and without holding up the service that called it:
/// the event is written to the local spool first (durable), then recorded in KV within a fixed budget,
/// and its spool file removed. If the hook is killed midway (keepalived ends its scripts when it stops)
/// or Consul does not answer in time, the spool file stays and `hamanager watch` replays it; replaying
/// an event that did reach KV records nothing twice.
/// </summary>
public sealed class NotifyHook(TransitionRecorder recorder, NotifySpool spool, TimeSpan budget, ILogger logger)
{
    public async Task<NotifyOutcome> RecordOrSpoolAsync(NotifyEvent notifyEvent, CancellationToken cancellationToken = default)
    {
        string? path;
        try
        {
            path = await spool.AppendAsync(notifyEvent, CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A full disk must not cost the event its one remaining chance: KV, directly.
            logger.Error("Could not spool {Service} transition {From} → {To} of {Node} ({Reason}); recording it in KV without a spool copy",
                notifyEvent.Service, notifyEvent.PreviousState, notifyEvent.NewState, notifyEvent.Node.Value, e.Message);
            path = null;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(budget);
        try
        {
            await recorder.RecordAsync(notifyEvent, deadline.Token);
            if (path is not null) File.Delete(path);
            return NotifyOutcome.Recorded;
        }
        catch (Exception e) when (e is ConsulException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var reason = e is OperationCanceledException ? $"Consul did not answer within {budget.TotalSeconds:0.#} s" : e.Message;
            if (path is null)
                throw new IOException($"the {notifyEvent.Service} transition {notifyEvent.PreviousState} → {notifyEvent.NewState} of {notifyEvent.Node} could neither be spooled nor recorded in KV: {reason}", e);
            logger.Warning("Spooled {Service} transition {From} → {To} of {Node} to {Path}: {Reason}",
                notifyEvent.Service, notifyEvent.PreviousState, notifyEvent.NewState, notifyEvent.Node.Value, path, reason);
            return NotifyOutcome.Spooled;
        }
    }
}
