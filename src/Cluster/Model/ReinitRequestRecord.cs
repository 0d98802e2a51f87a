namespace HaManager.Cluster.Model;

/// <summary>
/// A request to re-clone one standby from the current primary, under <c>postgres/reinit/&lt;node&gt;</c>: `hamanager node
/// reinit` writes it (any machine), that node's watcher performs it and writes the outcome back. Only the node
/// whose name is the key acts on it; nothing in it is run or pasted into a command.
/// </summary>
public sealed record ReinitRequestRecord : IKvRecord
{
    public const int MaxByLength = 200;
    public const int MaxOutcomeLength = 2000;

    /// <summary>16 lowercase hex digits chosen by the requester, so it can tell its own request's outcome from an older one.</summary>
    public required string Id { get; init; }
    public required ReinitState State { get; init; }
    public required string RequestedBy { get; init; }
    public required DateTimeOffset RequestedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The watcher's sentence: what it did, or why it failed.</summary>
    public string? Outcome { get; init; }

    public bool IsFinished => State is ReinitState.Done or ReinitState.Failed;

    public IEnumerable<string> Validate()
    {
        if (Id is not { Length: 16 } || !Id.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'))) yield return "id must be 16 lowercase hex digits";
        if (string.IsNullOrWhiteSpace(RequestedBy) || RequestedBy.Length > MaxByLength || RequestedBy.Any(char.IsControl))
            yield return $"requested_by must be 1-{MaxByLength} printable characters";
        if (Outcome is { Length: > MaxOutcomeLength }) yield return $"outcome is longer than {MaxOutcomeLength} characters";
    }
}
