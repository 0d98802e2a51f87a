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

    public static KeepalivedWatcherOptions FromSettings(HaManagerSettings settings)
    {
        string[] config = settings.SourcePath is null ? [] : ["--config", settings.SourcePath];
        return new KeepalivedWatcherOptions(
            NodeName.Parse(settings.Node.Name),
            IpAddresses.Parse(settings.Node.Address),
            InterfaceName.Parse(settings.Keepalived.Interface),
            settings.Keepalived.ConfigFile,
            settings.Keepalived.Binary,
            NotifyCommand.FromWords([settings.Paths.HamanagerBinary, .. config, "notify", "keepalived"]),
            settings.Keepalived.Service,
            TrackFilePath(settings));
    }
}
