namespace HaManager.Cluster.Model;

/// <summary>
/// The figures of one failover drill (`hamanager drill`), under <c>drills/&lt;sortable-time&gt;</c>: kept as
/// history, and the newest one's RTO is what `/metrics` exposes as the last failover RTO.
/// </summary>
public sealed record DrillRecord : IKvRecord
{
    public const string Switchover = "switchover";
    public const string KillPrimary = "kill-primary";

    public required DateTimeOffset At { get; init; }
    /// <summary><see cref="Switchover"/> or <see cref="KillPrimary"/>.</summary>
    public required string Mode { get; init; }
    public required NodeName FromNode { get; init; }
    public NodeName? ToNode { get; init; }
    /// <summary>From the moment the primary was stopped (or the switchover began) to the first acknowledged write on the new primary.</summary>
    public required double RtoSeconds { get; init; }
    public double? LongestGapSeconds { get; init; }
    public int? ClientErrors { get; init; }
    /// <summary>Acknowledged rows missing afterwards (the RPO in rows).</summary>
    public long? LostRows { get; init; }

    public IEnumerable<string> Validate()
    {
        if (Mode is not (Switchover or KillPrimary)) yield return $"mode '{NodeName.Printable(Mode)}' is not '{Switchover}' or '{KillPrimary}'";
        if (!double.IsFinite(RtoSeconds) || RtoSeconds < 0) yield return "rto_seconds must be a non-negative number";
        if (LongestGapSeconds is { } gap && (!double.IsFinite(gap) || gap < 0)) yield return "longest_gap_seconds must be a non-negative number";
        if (ClientErrors < 0) yield return "client_errors must not be negative";
        if (LostRows < 0) yield return "lost_rows must not be negative";
    }
}
