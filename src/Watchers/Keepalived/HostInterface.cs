using System.Net;
using System.Net.NetworkInformation;

namespace HaManager.Watchers.Keepalived;

/// <summary>One network interface of this machine and the IP addresses it carries.</summary>
public sealed record HostInterface(string Name, IReadOnlyList<IPAddress> Addresses)
{
    /// <summary>The interfaces of this machine (of this network namespace, in the lab), as the kernel reports them now.</summary>
    public static IReadOnlyList<HostInterface> ReadAll() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Select(i => new HostInterface(i.Name, i.GetIPProperties().UnicastAddresses.Select(a => a.Address).ToList()))
            .ToList();
}
