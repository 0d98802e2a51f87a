using System.Net;

namespace HaManager.Cli.Drill;

/// <summary>
/// The drill's arithmetic, fed by the writer and the drill as things happen (times on one monotonic clock):
/// RTO is from the action's start to the first acknowledged write taken by a server other than the old primary;
/// the longest gap is the longest time between two consecutive acknowledgements over the whole drill, so a write
/// that stalls without failing (a paused pgbouncer) counts as much as one that fails. Thread-safe: the writer
/// records while the drill reads.
/// </summary>
public sealed class DrillMeasurement(IPAddress oldPrimary)
{
    private readonly Lock _gate = new();
    private readonly List<long> _acked = [];
    private readonly IPAddress _oldPrimary = Normalized(oldPrimary);
    private TimeSpan? _lastAck;
    private TimeSpan? _actionAt;
    private TimeSpan? _recoveredAt;
    private IPAddress? _recoveredOn;
    private IPAddress? _lastServer;
    private TimeSpan _longestGap;
    private int _errors;

    /// <param name="server">The server that took the row (inet_server_addr()); null when it does not say (a Unix socket), which never counts as recovery.</param>
    public void Acknowledged(long id, IPAddress? server, TimeSpan at)
    {
        var taker = server is null ? null : Normalized(server);
        lock (_gate)
        {
            if (_lastAck is { } last && at - last > _longestGap) _longestGap = at - last;
            _lastAck = at;
            _lastServer = taker;
            _acked.Add(id);
            if (_actionAt is not null && _recoveredAt is null && taker is not null && !taker.Equals(_oldPrimary))
            {
                _recoveredAt = at;
                _recoveredOn = taker;
            }
        }
    }

    /// <summary>A write or a connection attempt that failed (the client saw an error).</summary>
    public void Failed()
    {
        lock (_gate) _errors++;
    }

    /// <summary>The switchover began or the primary was stopped; only acknowledgements after it can end the outage.</summary>
    public void ActionStarted(TimeSpan at)
    {
        lock (_gate) _actionAt ??= at;
    }

    public DrillFigures Figures()
    {
        lock (_gate)
        {
            return new DrillFigures(_acked.Count, _errors, _longestGap, _actionAt is not null, _recoveredAt - _actionAt, _recoveredAt, _recoveredOn, _lastServer);
        }
    }

    /// <summary>The ids of every acknowledged row, to look for afterwards.</summary>
    public IReadOnlyList<long> AcknowledgedIds()
    {
        lock (_gate) return _acked.ToArray();
    }

    private static IPAddress Normalized(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}

/// <param name="ActionStarted">The action began: from then on the cluster was changed, whatever the outcome.</param>
/// <param name="Rto">Null until a server other than the old primary acknowledged a write after the action.</param>
/// <param name="RecoveredAt">When that happened, on the drill's clock.</param>
/// <param name="RecoveredOn">The server that took that write.</param>
/// <param name="LastServer">The server that took the latest acknowledged write.</param>
public sealed record DrillFigures(int AcknowledgedRows, int ClientErrors, TimeSpan LongestGap, bool ActionStarted, TimeSpan? Rto, TimeSpan? RecoveredAt, IPAddress? RecoveredOn, IPAddress? LastServer)
{
    public bool Recovered => Rto is not null;
}
