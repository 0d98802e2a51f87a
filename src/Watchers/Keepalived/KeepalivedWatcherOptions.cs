using System.Net;
using HaManager.Cluster.Model;
using HaManager.Cluster.Settings;
using HaManager.Templates.Views;

namespace HaManager.Watchers.Keepalived;

/// <summary>The local facts the keepalived watcher needs, parsed once from the settings file.</summary>
public sealed record KeepalivedWatcherOptions(
    NodeName Node,
    IPAddress Address,
    InterfaceName Interface,
    string ConfigFile,
    string Binary,
    NotifyCommand NotifyCommand,
    ServiceOptions Service,
    string TrackFile)
{
    /// <summary>
    /// node.address with the prefix length the kernel gives it (its subnet), read at start; null when unknown
    /// (then the virtual IP is not checked against it). The virtual IP from KV must lie inside it.
    /// </summary>
    public Cidr? Subnet { get; init; }

    public static string TrackFilePath(HaManagerSettings settings) =>
        settings.Keepalived.TrackFile.Length > 0 ? settings.Keepalived.TrackFile : Path.Combine(settings.Paths.StateDir, "keepalived-primary");

    /// <param name="interfaces">This machine's interfaces; read from the kernel when null (tests pass their own).</param>
    public static KeepalivedWatcherOptions FromSettings(HaManagerSettings settings, IReadOnlyList<HostInterface>? interfaces = null)
    {
        string[] config = settings.SourcePath is null ? [] : ["--config", settings.SourcePath];
        var address = IpAddresses.Parse(settings.Node.Address);
        // The kernel is asked only when the setting leaves the choice to the address.
        var @interface = settings.Keepalived.Interface.Length > 0
            ? settings.Keepalived.Interface
            : KeepalivedInterface.Choose("", address, interfaces ?? HostInterface.ReadAll());
        return new KeepalivedWatcherOptions(
            NodeName.Parse(settings.Node.Name),
            address,
            InterfaceName.Parse(@interface),
            settings.Keepalived.ConfigFile,
            settings.Keepalived.Binary,
            NotifyCommand.FromWords([settings.Paths.HamanagerBinary, .. config, "notify", "keepalived"]),
            settings.Keepalived.Service,
            TrackFilePath(settings))
        {
            Subnet = interfaces is null ? LocalSubnet(address) : null,
        };
    }

    /// <summary>The address with the prefix length it has on this machine's interface, or null when no interface carries it.</summary>
    public static Cidr? LocalSubnet(IPAddress address)
    {
        try
        {
            return System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
                .SelectMany(i => i.GetIPProperties().UnicastAddresses)
                .Where(a => a.Address.Equals(address) && a.PrefixLength > 0)
                .Select(a => new Cidr(address, a.PrefixLength))
                .FirstOrDefault();
        }
        catch (System.Net.NetworkInformation.NetworkInformationException)
        {
            return null;
        }
    }
}
