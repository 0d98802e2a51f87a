namespace HaManager.Cluster.Locks;

/// <summary>A held lock, as the work done under it sees it: cancelled when the lock can no longer be trusted to be held.</summary>
public interface ILockLease
{
    string Key { get; }

    CancellationToken Lost { get; }

    /// <summary>Why <see cref="Lost"/> was cancelled; null while the lock is held.</summary>
    string? LostReason { get; }
}
