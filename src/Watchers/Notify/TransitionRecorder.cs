using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using Serilog;

namespace HaManager.Watchers.Notify;

/// <summary>
/// Writes a hook's event to KV: the node's current state (compare-and-set, never overwriting a newer
/// state) and an append-only transition record. Recording the same event twice is harmless, which is
/// what makes spool replay safe after a crash between the write and the spool file's removal.
/// </summary>
public sealed class TransitionRecorder(IKvStore kv, KvKeys keys, ILogger logger)
{
    private const int CasAttempts = 8;

    public async Task<Transition> RecordAsync(NotifyEvent notifyEvent, CancellationToken cancellationToken)
    {
        var previous = notifyEvent switch
        {
            KeepalivedStateChanged k => await ApplyKeepalivedAsync(k, cancellationToken),
            _ => throw new NotSupportedException($"no recorder for {notifyEvent.GetType().Name}"),
        };

        var transition = new Transition
        {
            Node = notifyEvent.Node,
            Service = notifyEvent.Service,
            From = notifyEvent.PreviousState ?? previous ?? "UNKNOWN",
            To = notifyEvent.NewState,
            At = notifyEvent.At,
            Details = Details(notifyEvent),
        };
        await AppendTransitionAsync(transition, cancellationToken);
        logger.Information("Recorded transition of {Node} {Service}: {From} → {To}", transition.Node.Value, transition.Service, transition.From, transition.To);
        return transition;
    }

    private async Task<string?> ApplyKeepalivedAsync(KeepalivedStateChanged change, CancellationToken cancellationToken)
    {
        var key = keys.KeepalivedNode(change.Node);
        for (var attempt = 1; attempt <= CasAttempts; attempt++)
        {
            var current = (await kv.GetAsync(key, null, cancellationToken)).Value;
            KeepalivedNodeRecord? record = null;
            if (current is not null && !KvJson.TryParse(current, out record, out var error))
            {
                logger.Warning("Replacing the invalid value at {Key} with the state keepalived reported: {Reason}", key, error.Reason);
            }

            if (record?.Since is { } since && since >= change.At)
            {
                return record.State.ToString().ToUpperInvariant(); // a newer state is already recorded
            }

            var updated = (record ?? new KeepalivedNodeRecord { Priority = Math.Clamp(change.Priority, 1, 254) })
                with { State = change.State, Since = change.At };
            if (await kv.PutAsync(key, KvJson.Serialize(updated), current?.ModifyIndex ?? 0, cancellationToken))
            {
                return record is null ? null : record.State.ToString().ToUpperInvariant();
            }
        }

        throw new InvalidOperationException($"could not update '{key}': it kept changing during {CasAttempts} compare-and-set attempts");
    }

    private async Task AppendTransitionAsync(Transition transition, CancellationToken cancellationToken)
    {
        var baseKey = keys.Transition(transition.At, transition.Node, transition.Service);
        var value = KvJson.Serialize(transition);
        for (var suffix = 0; suffix < 10; suffix++)
        {
            var key = suffix == 0 ? baseKey : $"{baseKey}-{suffix}";
            if (await kv.PutAsync(key, value, 0, cancellationToken)) return;
            var existing = (await kv.GetAsync(key, null, cancellationToken)).Value;
            if (existing is not null && existing.Value.AsSpan().SequenceEqual(value)) return; // replayed: already recorded
        }

        throw new InvalidOperationException($"could not find a free key for the transition at '{baseKey}'");
    }

    private static string? Details(NotifyEvent notifyEvent) => notifyEvent switch
    {
        KeepalivedStateChanged k => $"instance {k.Instance}, priority {k.Priority}",
        _ => null,
    };
}
