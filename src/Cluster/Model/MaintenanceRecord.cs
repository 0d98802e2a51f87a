namespace HaManager.Cluster.Model;

/// <summary>
/// An operator's maintenance window, under <c>maintenance</c>: while it is open (no <see cref="Until"/>, or
/// <see cref="Until"/> still ahead), every node pauses its automatic decisions — failover, fencing and
/// moving the VIP — and keeps rendering. Written by `hamanager maintenance on`, deleted by `… off`.
/// </summary>
public sealed record MaintenanceRecord : IKvRecord
{
    public const int MaxByLength = 200;
    public const int MaxReasonLength = 500;

    /// <summary>Who turned it on (user@host), for `status`.</summary>
    public required string By { get; init; }
    public string? Reason { get; init; }
    public required DateTimeOffset Since { get; init; }
    /// <summary>When it ends by itself; null: only `maintenance off` ends it.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>
    /// Compared with each node's own clock: a skew of a few seconds only moves the end of a window that an
    /// operator chose in minutes; nothing is ordered by it.
    /// </summary>
    public bool IsActiveAt(DateTimeOffset now) => Until is not { } until || now < until;

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(By) || By.Length > MaxByLength || By.Any(char.IsControl))
            yield return $"by '{NodeName.Printable(By ?? string.Empty)}' must be 1-{MaxByLength} printable characters";
        if (Reason is { } reason && (reason.Length > MaxReasonLength || reason.Any(char.IsControl)))
            yield return $"reason must be at most {MaxReasonLength} printable characters (no control characters or line breaks)";
        if (Until is { } until && until <= Since) yield return $"until {until:O} is not after since {Since:O}";
    }
}
