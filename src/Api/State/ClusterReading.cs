using HaManager.Api.Status;

namespace HaManager.Api.State;

/// <summary>
/// The newest successful read of the whole cluster (the `status --json` document, already serialized) and,
/// when the reads since have failed, why: a failed read never throws away the last good document.
/// </summary>
public sealed record ClusterReading(Stamped<ClusterSnapshot>? Last, byte[]? Json, Stamped<string>? LastError)
{
    public static ClusterReading None { get; } = new(null, null, null);

    /// <summary>The lag the primary reports for <paramref name="node"/>, from the newest document; null when unknown.</summary>
    public long? LagBytesOf(string node) =>
        Last?.Value.Status.Nodes.FirstOrDefault(n => n.Name == node)?.Postgres.LagBytes;

    /// <summary>True when the newest attempt failed (its error is newer than the last good document).</summary>
    public bool Failing => LastError is not null && (Last is null || LastError.At >= Last.At);
}
