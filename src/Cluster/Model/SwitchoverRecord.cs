namespace HaManager.Cluster.Model;

/// <summary>
/// A planned move of the primary in progress, under <c>switchover</c> (written by `hamanager switchover`,
/// advanced by the two watchers that do the work). While it is active, the failure detectors and the fencer
/// leave the planned stop of the old primary alone: an operation must never be mistaken for a failure.
/// Past its <see cref="Deadline"/> it is ignored, so a switchover whose CLI died cannot pause failover for long.
/// </summary>
public sealed record SwitchoverRecord : IKvRecord
{
    /// <summary>The CLI asks the old primary's watcher to stop PostgreSQL cleanly (clients are paused in every pgbouncer).</summary>
    public const string Stopping = "stopping";
    /// <summary>The old primary stopped cleanly; <see cref="StopLsn"/> is its shutdown checkpoint. The target promotes itself once it has received it.</summary>
    public const string Stopped = "stopped";
    /// <summary>The target claimed the promotion (compare-and-set): from here on there is no way back.</summary>
    public const string Promoting = "promoting";
    /// <summary>The target is the primary and <c>postgres/master</c> names it.</summary>
    public const string Promoted = "promoted";
    /// <summary>The CLI gave up before a promotion was claimed: the old primary's watcher starts it again as the primary.</summary>
    public const string RollingBack = "rolling-back";
    /// <summary>The old primary serves again; nothing changed.</summary>
    public const string RolledBack = "rolled-back";
    /// <summary>A watcher could not do its step (<see cref="Error"/> says why); the CLI rolls back.</summary>
    public const string Failed = "failed";

    public static readonly IReadOnlySet<string> Phases = new HashSet<string>(StringComparer.Ordinal)
        { Stopping, Stopped, Promoting, Promoted, RollingBack, RolledBack, Failed };

    public const int MaxTextLength = 500;

    public required NodeName From { get; init; }
    public required NodeName To { get; init; }
    /// <summary>Who asked: the node or host name and user of the CLI (for people only).</summary>
    public required string By { get; init; }
    public required string Phase { get; init; }
    public required DateTimeOffset Started { get; init; }
    /// <summary>The CLI's clock: after it, every watcher ignores the record (keep the clocks in sync).</summary>
    public required DateTimeOffset Deadline { get; init; }
    /// <summary>The old primary's shutdown checkpoint location (e.g. 0/5003908), reported by its watcher with <see cref="Stopped"/>.</summary>
    public string? StopLsn { get; init; }
    public string? Error { get; init; }

    public bool IsActive(DateTimeOffset now) => now < Deadline && Phase is not (RolledBack or Promoted);

    public IEnumerable<string> Validate()
    {
        if (!Phases.Contains(Phase)) yield return $"phase '{NodeName.Printable(Phase)}' is not one of {string.Join(", ", Phases)}";
        if (From == To) yield return $"from and to are both {From}";
        if (Deadline <= Started) yield return "deadline must be after started";
        if (By.Length is 0 or > 200 || By.Any(char.IsControl)) yield return "by must be 1-200 printable characters";
        if (StopLsn is not null && !IsLsn(StopLsn)) yield return $"stop_lsn '{NodeName.Printable(StopLsn)}' is not an LSN like 0/5003908";
        if (Phase == Stopped && StopLsn is null) yield return $"phase '{Stopped}' needs stop_lsn";
        if (Error is { Length: > MaxTextLength } || (Error?.Any(char.IsControl) ?? false)) yield return $"error must be at most {MaxTextLength} printable characters";
    }

    private static bool IsLsn(string text)
    {
        var parts = text.Split('/');
        return parts.Length == 2 && parts.All(p => p.Length is > 0 and <= 8 && p.All(Uri.IsHexDigit));
    }
}
