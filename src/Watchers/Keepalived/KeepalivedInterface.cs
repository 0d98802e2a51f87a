using System.Net;
using HaManager.Cluster.Settings;

namespace HaManager.Watchers.Keepalived;

/// <summary>
/// Which interface keepalived puts the virtual IP on: keepalived.interface when it is set, otherwise
/// the interface that carries node.address. Interface names differ between machines (eth0, ens3,
/// enp1s0), the node's address is known anyway, so the default follows the address.
/// </summary>
public static class KeepalivedInterface
{
    /// <exception cref="SettingsException">keepalived.interface is empty and no interface, or more than one, carries the address.</exception>
    public static string Choose(string configured, IPAddress address, IReadOnlyList<HostInterface> interfaces)
    {
        if (configured.Length > 0) return configured;

        var carriers = interfaces.Where(i => i.Addresses.Any(a => Same(a, address))).Select(i => i.Name).Distinct(StringComparer.Ordinal).ToList();
        return carriers.Count switch
        {
            1 => carriers[0],
            0 => throw new SettingsException(
                $"keepalived.interface: no network interface carries node.address {address} (this machine has {Describe(interfaces)}); " +
                "correct node.address, or set keepalived.interface to the interface for the virtual IP"),
            _ => throw new SettingsException(
                $"keepalived.interface: node.address {address} is on more than one interface ({string.Join(", ", carriers)}); set keepalived.interface to the one for the virtual IP"),
        };
    }

    private static bool Same(IPAddress candidate, IPAddress address)
    {
        // An IPv6 link-local address carries the interface as scope id; the address itself is what counts.
        var plain = candidate.IsIPv6LinkLocal ? new IPAddress(candidate.GetAddressBytes()) : candidate;
        return plain.Equals(address) || (plain.IsIPv4MappedToIPv6 && plain.MapToIPv4().Equals(address));
    }

    private static string Describe(IReadOnlyList<HostInterface> interfaces) =>
        interfaces.Count == 0
            ? "no interfaces"
            : string.Join(", ", interfaces.Select(i => i.Addresses.Count == 0 ? $"{i.Name} (no address)" : $"{i.Name} {string.Join(" ", i.Addresses)}"));
}
