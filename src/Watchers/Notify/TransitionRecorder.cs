using System.Globalization;
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

    public async Task<Transition?> RecordAsync(NotifyEvent notifyEvent, CancellationToken cancellationToken)
    {
        var (previous, note) = notifyEvent switch
        {
            KeepalivedStateChanged k => await ApplyKeepalivedAsync(k, cancellationToken),
            RepmgrEvent r => await ApplyRepmgrAsync(r, cancellationToken),
            PostgresFenced f => await ApplyFencedAsync(f, cancellationToken),
            _ => throw new NotSupportedException($"no recorder for {notifyEvent.GetType().Name}"),
        };

        if (notifyEvent is RepmgrEvent repmgr && previous == notifyEvent.NewState && (!repmgr.IsPromotion || note == AlreadyRegistered))
        {
            // One promotion is reported twice (HaManager's or repmgrd's event, then repmgr's standby_promote): history gets it
            // once. A promotion on a new timeline is always recorded, even when the demotion before it never reached KV.
            logger.Information("{Node} {Service} is already {State}; no new transition", notifyEvent.Node.Value, notifyEvent.Service, previous);
            return null;
        }

        var transition = new Transition
        {
            Node = notifyEvent.Node,
            Service = notifyEvent.Service,
            From = notifyEvent.PreviousState ?? previous ?? "UNKNOWN",
            To = notifyEvent.NewState,
            At = notifyEvent.At,
            Details = note is null or AlreadyRegistered ? Details(notifyEvent) : $"{Details(notifyEvent)} [{note}]",
        };
        await AppendTransitionAsync(transition, cancellationToken);
        logger.Information("Recorded transition of {Node} {Service}: {From} → {To}", transition.Node.Value, transition.Service, transition.From, transition.To);
        return transition;
    }

    private async Task<(string? Previous, string? Note)> ApplyKeepalivedAsync(KeepalivedStateChanged change, CancellationToken cancellationToken)
    {
        var key = keys.KeepalivedNode(change.Node);
        for (var attempt = 1; attempt <= CasAttempts; attempt++)
        {
            var current = (await kv.GetAsync(key, null, cancellationToken)).Value;
            KeepalivedNodeRecord? record = null;
            if (current is not null && !KvJson.TryParse(current, out record, out var error))
            {
                // The hook knows the state, not the node's base priority (keepalived reports the effective one, track
                // weight included): rewriting the record would invent a priority. History still gets the transition.
                logger.Warning("Left the invalid value at {Key} as it is (fix or delete it): {Reason}", key, error.Reason);
                return (change.PreviousState, $"state not stored: the value at '{key}' is invalid");
            }

            if (record is not null && (record.ForkOrder is not null ? record.ForkOrder == change.ForkOrder : record.Since == change.At && record.State == change.State))
            {
                return (change.PreviousState, null); // this very event, replayed from the spool: already recorded
            }

            if (record is not null && IsNewer(record, change))
            {
                logger.Information("{Node} keepalived {State} (hook {Order}) is older than the recorded {Recorded}; kept as history only",
                    change.Node.Value, change.NewState, change.ForkOrder, record.State);
                var recordedState = record.State.ToString().ToUpperInvariant();
                return (recordedState, $"reported late: keepalived had already moved on to {recordedState}");
            }

            var updated = (record ?? new KeepalivedNodeRecord { Priority = Math.Clamp(change.Priority, 1, 254) })
                with { State = change.State, Since = change.At, ForkOrder = change.ForkOrder };
            if (await kv.PutAsync(key, KvJson.Serialize(updated), current?.ModifyIndex ?? 0, cancellationToken))
            {
                return (record?.State.ToString().ToUpperInvariant(), null);
            }
        }

        throw new KvContentionException(key, CasAttempts);
    }

    /// <summary>
    /// Whether the recorded state came from a later state change than <paramref name="change"/>: by fork
    /// order when both hooks ran in this boot (keepalived's order), otherwise by the hooks' clocks.
    /// </summary>
    private static bool IsNewer(KeepalivedNodeRecord record, KeepalivedStateChanged change)
    {
        if (ForkOrder.TryParse(record.ForkOrder, out var recorded, out _) && ForkOrder.TryParse(change.ForkOrder, out var incoming, out _)
            && recorded.IsAfter(incoming) is { } after)
            return after;
        return record.Since is { } since && since >= change.At;
    }

    /// <summary>
    /// A promotion moves <c>postgres/master</c> to this node by CAS on its ModifyIndex, unless the
    /// registered master is on the same or a later timeline (a stale or rival promoter never overwrites
    /// it: the fencer then stops this node's primary and rejoins it). Clocks are never compared.
    /// </summary>
    private async Task<(string? Previous, string? Note)> ApplyRepmgrAsync(RepmgrEvent change, CancellationToken cancellationToken)
    {
        var nodeKey = keys.PostgresNode(change.Node);
        var previousRecord = await ReadAsync<PostgresNodeRecord>(nodeKey, cancellationToken);
        var previous = previousRecord.Record?.Role.ToString().ToUpperInvariant();
        if (change.IsPromotion)
        {
            var claim = await ClaimMasterAsync(change, cancellationToken);
            if (claim == MasterClaim.Stale) return (previous, $"stale promotion: '{keys.PostgresMaster}' names a newer master and was not changed");
            await PutNodeAsync(change, PostgresRole.Primary, upstream: null, cancellationToken);
            if (claim == MasterClaim.AlreadyRegistered) return (previous, AlreadyRegistered);
        }
        else if (change.IsFollow)
        {
            var master = (await ReadAsync<PostgresMasterRecord>(keys.PostgresMaster, cancellationToken)).Record;
            await PutNodeAsync(change, PostgresRole.Standby, master?.Node, cancellationToken);
        }

        return (previous, null);
    }

    private enum MasterClaim { Registered, AlreadyRegistered, Stale }

    /// <summary>The note of a promotion whose timeline KV already names: the same promotion, reported again.</summary>
    private const string AlreadyRegistered = "already registered as the master on this timeline";

    private async Task<MasterClaim> ClaimMasterAsync(RepmgrEvent change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= CasAttempts; attempt++)
        {
            var (entry, current) = await ReadAsync<PostgresMasterRecord>(keys.PostgresMaster, cancellationToken);
            if (current is not null && current.Node == change.Node && (current.Timeline ?? 0) >= (change.Timeline ?? 0)) return MasterClaim.AlreadyRegistered;
            if (current is not null && current.Node != change.Node && !PromotionOrder.IsNewer(change.Timeline, current.Timeline))
            {
                logger.Warning("Rejected stale promotion of {Node} (timeline {Timeline}): '{Key}' already names {Master} on timeline {MasterTimeline} (index {Index})",
                    change.Node.Value, change.Timeline?.ToString(CultureInfo.InvariantCulture) ?? "unknown", keys.PostgresMaster, current.Node.Value,
                    current.Timeline?.ToString(CultureInfo.InvariantCulture) ?? "unknown", entry!.ModifyIndex);
                return MasterClaim.Stale;
            }

            var record = new PostgresMasterRecord
            {
                Node = change.Node, Host = change.Host, Port = change.Port, NodeId = change.NodeId, Since = change.At, Timeline = change.Timeline,
            };
            if (await kv.PutAsync(keys.PostgresMaster, KvJson.Serialize(record), entry?.ModifyIndex ?? 0, cancellationToken))
            {
                logger.Information("Registered {Node} as PostgreSQL master on timeline {Timeline} (was {Previous})",
                    change.Node.Value, change.Timeline?.ToString(CultureInfo.InvariantCulture) ?? "unknown", current?.Node.Value ?? "none");
                return MasterClaim.Registered;
            }
        }

        throw new KvContentionException(keys.PostgresMaster, CasAttempts);
    }

    private async Task<(string? Previous, string? Note)> ApplyFencedAsync(PostgresFenced fenced, CancellationToken cancellationToken)
    {
        var key = keys.PostgresNode(fenced.Node);
        for (var attempt = 1; attempt <= CasAttempts; attempt++)
        {
            var (entry, current) = await ReadAsync<PostgresNodeRecord>(key, cancellationToken);
            if (current is null) return ("PRIMARY", $"no valid record at '{key}' to mark");
            if (current.Role == PostgresRole.Fenced && current.Since == fenced.At) return ("PRIMARY", null); // replayed
            if (current.Since is { } since && since > fenced.At) return ("PRIMARY", "the node's record has moved on since");
            var record = current with { Role = PostgresRole.Fenced, Upstream = fenced.Master, Since = fenced.At };
            if (await kv.PutAsync(key, KvJson.Serialize(record), entry!.ModifyIndex, cancellationToken)) return ("PRIMARY", null);
        }

        throw new KvContentionException(key, CasAttempts);
    }

    private async Task PutNodeAsync(RepmgrEvent change, PostgresRole role, NodeName? upstream, CancellationToken cancellationToken)
    {
        var key = keys.PostgresNode(change.Node);
        for (var attempt = 1; attempt <= CasAttempts; attempt++)
        {
            var (entry, current) = await ReadAsync<PostgresNodeRecord>(key, cancellationToken);
            if (current?.Since is { } since && since > change.At) return;
            var record = new PostgresNodeRecord { NodeId = change.NodeId, Role = role, Upstream = upstream, Since = change.At };
            if (await kv.PutAsync(key, KvJson.Serialize(record), entry?.ModifyIndex ?? 0, cancellationToken)) return;
        }

        throw new KvContentionException(key, CasAttempts);
    }

    private async Task<(KvEntry? Entry, T? Record)> ReadAsync<T>(string key, CancellationToken cancellationToken) where T : class, IKvRecord
    {
        var entry = (await kv.GetAsync(key, null, cancellationToken)).Value;
        if (entry is null) return (null, null);
        if (KvJson.TryParse<T>(entry, out var record, out var error)) return (entry, record);
        logger.Warning("Ignoring the invalid value at {Key}: {Reason}", key, error.Reason);
        return (entry, null);
    }

    /// <summary>Appends one transition (CAS index 0), for events that are not a hook's, e.g. an operator's `node remove`.</summary>
    public async Task AppendTransitionAsync(Transition transition, CancellationToken cancellationToken)
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
        RepmgrEvent r => $"repmgr {r.Event} (node id {r.NodeId}, success {(r.Success ? 1 : 0)}){(r.RepmgrDetails is { Length: > 0 } d ? ": " + d : string.Empty)}",
        PostgresFenced f => $"{f.Master} is the registered master (timeline {f.MasterTimeline?.ToString(CultureInfo.InvariantCulture) ?? "unknown"}); " +
                            $"the local primary (timeline {f.LocalTimeline}) was stopped and is rejoined as a standby",
        _ => null,
    };
}
