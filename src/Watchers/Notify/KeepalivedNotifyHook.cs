using HaManager.Cluster.Model;
using HaManager.Watchers.Files;
using HaManager.Watchers.Processes;
using Serilog;

namespace HaManager.Watchers.Notify;

/// <summary>
/// keepalived's notify script. Must never hold keepalived up: it records the change in KV within a
/// fixed budget, and otherwise spools it locally for `hamanager watch` to replay.
/// </summary>
public sealed class KeepalivedNotifyHook(
    TransitionRecorder recorder, NotifySpool spool, NodeName node, string stateDirectory, TimeSpan budget, ILogger logger,
    ForkOrder? forkOrder = null)
{
    public const string LastStateFileName = "keepalived.last-state";

    private string LastStateFile => Path.Combine(stateDirectory, LastStateFileName);

    public async Task<NotifyOutcome> RunAsync(KeepalivedNotifyArguments arguments, CancellationToken cancellationToken = default)
    {
        var at = DateTimeOffset.UtcNow;
        var order = forkOrder ?? ProcessStart.CurrentForkOrder();
        var notifyEvent = new KeepalivedStateChanged
        {
            Node = node,
            At = at,
            ForkOrder = order?.ToString(),
            PreviousState = ReadLastState()?.State ?? "UNKNOWN",
            State = arguments.State,
            Priority = arguments.Priority,
            Instance = arguments.Name,
        };
        try
        {
            await WriteLastStateAsync(notifyEvent.NewState, order, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Only the next event's "from" depends on it; the event itself must still reach KV (e.g. disk full).
            logger.Warning("Could not remember keepalived state {State} in {Path}: {Reason}", notifyEvent.NewState, LastStateFile, e.Message);
        }

        return await new NotifyHook(recorder, spool, budget, logger).RecordOrSpoolAsync(notifyEvent, cancellationToken);
    }

    /// <summary>"STATE [FORK-ORDER]": the state the latest-forked hook reported, for the next event's "from".</summary>
    private (string State, ForkOrder? Order)? ReadLastState()
    {
        try
        {
            var parts = File.ReadAllText(LastStateFile).Trim().Split(' ', 2);
            if (parts[0] is not ("MASTER" or "BACKUP" or "FAULT" or "STOP")) return null;
            return (parts[0], parts.Length == 2 && ForkOrder.TryParse(parts[1], out var order, out _) ? order : null);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>A hook forked earlier but scheduled later must not overwrite what a later state change wrote.</summary>
    private async Task WriteLastStateAsync(string state, ForkOrder? order, CancellationToken cancellationToken)
    {
        if (order is not null && ReadLastState()?.Order is { } written && written.IsAfter(order) == true) return;
        await AtomicFile.WriteAsync(LastStateFile, order is null ? state + "\n" : $"{state} {order}\n", cancellationToken: cancellationToken);
    }
}
