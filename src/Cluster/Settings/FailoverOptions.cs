namespace HaManager.Cluster.Settings;

/// <summary>
/// HaManager's own failure detector (docs/postgres.md, "Failover"): every standby probes the primary;
/// when it has not answered for <see cref="FailoverAfterMilliseconds"/> and a majority of the nodes
/// agree, the most advanced standby promotes itself.
/// </summary>
public sealed class FailoverOptions
{
    /// <summary>false: nothing is ever promoted automatically (a failed primary waits for an operator).</summary>
    public bool Enabled { get; set; } = true;
    public int ProbeIntervalMilliseconds { get; set; } = 250;
    public int ProbeTimeoutMilliseconds { get; set; } = 500;
    /// <summary>
    /// How long the primary must stay silent before this node acts. A 1 s link flap silences it for about
    /// 2.2 s (the kernel holds a link that comes back for up to a second before it passes traffic): 3 s
    /// leaves a margin over that.
    /// </summary>
    public int FailoverAfterMilliseconds { get; set; } = 3000;
    /// <summary>How long the primary must have been silent to another node for that node to agree.</summary>
    public int PeerAgreeAfterMilliseconds { get; set; } = 1500;
    /// <summary>How long this node waits for another node's answer about the primary.</summary>
    public int PeerTimeoutMilliseconds { get; set; } = 700;
}
