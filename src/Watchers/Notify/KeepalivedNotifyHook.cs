using HaManager.Cluster.Consul;
using HaManager.Cluster.Model;
using HaManager.Watchers.Files;
using Serilog;

namespace HaManager.Watchers.Notify;

/// <summary>
/// keepalived's notify script. Must never hold keepalived up: it records the change in KV within a
/// fixed budget, and otherwise spools it locally for `hamanager watch` to replay.
/// </summary>
public sealed class KeepalivedNotifyHook(
    TransitionRecorder recorder, NotifySpool spool, NodeName node, string stateDirectory, TimeSpan budget, ILogger logger)
{
    private string LastStateFile => Path.Combine(stateDirectory, "keepalived.last-state");

    public async Task<NotifyOutcome> RunAsync(KeepalivedNotifyArguments arguments, CancellationToken cancellationToken = default)
    {
        var notifyEvent = new KeepalivedStateChanged
        {
            Node = node,
            At = DateTimeOffset.UtcNow,
            PreviousState = ReadLastState() ?? "UNKNOWN",
            State = arguments.State,
            Priority = arguments.Priority,
            Instance = arguments.Name,
        };
        await AtomicFile.WriteAsync(LastStateFile, notifyEvent.NewState + "\n", cancellationToken: cancellationToken);

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
            logger.Warning("Spooled keepalived transition {From} → {To} of {Node} to {Path}: {Reason}",
                notifyEvent.PreviousState, notifyEvent.NewState, node.Value, path, reason);
            return NotifyOutcome.Spooled;
        }
    }

    private string? ReadLastState()
    {
        try
        {
            var text = File.ReadAllText(LastStateFile).Trim();
            return text is "MASTER" or "BACKUP" or "FAULT" or "STOP" ? text : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
