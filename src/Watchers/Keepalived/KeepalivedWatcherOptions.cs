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
            TrackFilePath(settings));
    }
}
