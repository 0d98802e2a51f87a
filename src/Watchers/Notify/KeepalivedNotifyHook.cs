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
        return await new NotifyHook(recorder, spool, budget, logger).RecordOrSpoolAsync(notifyEvent, cancellationToken);
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
