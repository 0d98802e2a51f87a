namespace HaManager.Watchers.Engine;

/// <summary>
/// Brings local state (not files) in line with KV, e.g. fencing a PostgreSQL primary that KV no longer
/// names. Runs after every render cycle and periodically, so a failed attempt is retried.
/// </summary>
public interface IReconciler
{
    string Name { get; }

    IReadOnlyList<string> Prefixes { get; }

    /// <returns>A sentence saying what it changed, or null when everything already matched.</returns>
    Task<string?> ReconcileAsync(KvSnapshot snapshot, CancellationToken cancellationToken);
}
