using HaManager.Cluster.Settings;

namespace HaManager.Watchers.Failover;

public sealed record FailoverTiming(TimeSpan ProbeInterval, TimeSpan ProbeTimeout, TimeSpan FailoverAfter, TimeSpan PeerAgreeAfter, TimeSpan PeerTimeout)
{
    public static FailoverTiming Default { get; } = FromSettings(new FailoverOptions());

    public static FailoverTiming FromSettings(FailoverOptions options) => new(
        TimeSpan.FromMilliseconds(options.ProbeIntervalMilliseconds),
        TimeSpan.FromMilliseconds(options.ProbeTimeoutMilliseconds),
        TimeSpan.FromMilliseconds(options.FailoverAfterMilliseconds),
        TimeSpan.FromMilliseconds(options.PeerAgreeAfterMilliseconds),
        TimeSpan.FromMilliseconds(options.PeerTimeoutMilliseconds));
}
