namespace HaManager.Cluster.Consul;

public sealed record QueryOptions
{
    public static QueryOptions Default { get; } = new();

    /// <summary>0 = plain read; otherwise block until the result's index is past this value or WaitTime elapses.</summary>
    public ulong WaitIndex { get; init; }

    /// <summary>Longest time Consul may hold a blocking read; only sent when WaitIndex &gt; 0.</summary>
    public TimeSpan WaitTime { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Let any server answer (may lag the leader; see QueryResult.LastContact).</summary>
    public bool Stale { get; init; }

    internal bool IsBlocking => WaitIndex > 0;
}
