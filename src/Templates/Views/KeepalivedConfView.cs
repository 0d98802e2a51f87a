using System.Net;
using HaManager.Cluster;
using HaManager.Cluster.Model;

namespace HaManager.Templates.Views;

/// <summary>
/// Everything keepalived.conf needs, already parsed: the constructor accepts only typed values
/// (NodeName, IPAddress, Cidr) so nothing raw from KV can reach the template.
/// </summary>
public sealed class KeepalivedConfView
{
    public const string DefaultInstanceName = "VI_1";

    public KeepalivedConfView(
        string kvPrefix,
        NodeName nodeName,
        bool initialMaster,
        InterfaceName @interface,
        int virtualRouterId,
        int priority,
        int advertIntSeconds,
        IPAddress unicastSourceIp,
        IEnumerable<IPAddress> unicastPeers,
        Cidr virtualIp,
        NotifyCommand notifyCommand,
        PrimaryTrackFile primaryTrack)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(virtualRouterId, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(virtualRouterId, 255);
        ArgumentOutOfRangeException.ThrowIfLessThan(priority, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(priority, 254);
        ArgumentOutOfRangeException.ThrowIfLessThan(advertIntSeconds, 1);
        KvPrefix = new KvKeys(kvPrefix).Prefix;
        NodeName = nodeName.Value;
        InitialState = initialMaster ? "MASTER" : "BACKUP";
        Interface = @interface.Value;
        VirtualRouterId = virtualRouterId;
        Priority = priority;
        AdvertIntSeconds = advertIntSeconds;
        UnicastSourceIp = unicastSourceIp.ToString();
        UnicastPeers = unicastPeers.Select(p => p.ToString()).Order(StringComparer.Ordinal).ToArray();
        VirtualIp = virtualIp.ToString();
        NotifyCommand = notifyCommand.Value;
        TrackFile = primaryTrack.Path;
        TrackWeight = primaryTrack.Weight;
    }

    public string KvPrefix { get; }
    public string NodeName { get; }
    public string InstanceName => DefaultInstanceName;
    public string InitialState { get; }
    public string Interface { get; }
    public int VirtualRouterId { get; }
    public int Priority { get; }
    public int AdvertIntSeconds { get; }
    public string UnicastSourceIp { get; }
    public IReadOnlyList<string> UnicastPeers { get; }
    public string VirtualIp { get; }
    public string NotifyCommand { get; }
    public string TrackFile { get; }
    public int TrackWeight { get; }
}
