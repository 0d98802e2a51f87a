using System.Xml.Linq;
using HaManager.Cluster.Model;

namespace HaManager.Bootstrap.Syncthing;

/// <summary>
/// The options HaManager fixes in syncthing's config.xml before syncthing first starts: the REST API on
/// loopback with our key, the sync protocol on the node address only, and everything that would reach
/// outside the cluster (global discovery, relays, NAT traversal, usage and crash reports, upgrades) off.
/// Devices and folders are not touched here: the watcher manages those through the REST API.
/// </summary>
public static class SyncthingHomeConfig
{
    private static readonly (string Name, string Value)[] FixedOptions =
    [
        // A peer that comes back is redialled within 10 s instead of syncthing's default 60 s.
        ("reconnectionIntervalS", "10"),
        ("globalAnnounceEnabled", "false"),
        ("localAnnounceEnabled", "false"),
        ("relaysEnabled", "false"),
        ("natEnabled", "false"),
        ("urAccepted", "-1"),
        ("autoUpgradeIntervalH", "0"),
        ("crashReportingEnabled", "false"),
        ("startBrowser", "false"),
    ];

    /// <returns>The edited document text, or null when it already had every setting.</returns>
    public static string? Apply(string configXml, SyncthingDeviceId self, NodeName node, SyncthingAddress listen, string apiAddress, string apiKey)
    {
        var document = XDocument.Parse(configXml, LoadOptions.PreserveWhitespace);
        var root = document.Root is { Name.LocalName: "configuration" } r ? r : throw new FormatException("config.xml has no <configuration> root element");
        var before = document.ToString(SaveOptions.DisableFormatting);

        var gui = Child(root, "gui");
        gui.SetAttributeValue("enabled", "true");
        gui.SetAttributeValue("tls", "false");
        Child(gui, "address").Value = apiAddress;
        Child(gui, "apikey").Value = apiKey;

        var options = Child(root, "options");
        var listenAddresses = options.Elements("listenAddress").ToList();
        if (listenAddresses.Count != 1 || listenAddresses[0].Value != listen.ToString())
        {
            listenAddresses.ForEach(e => e.Remove());
            options.AddFirst(new XElement("listenAddress", listen.ToString()));
        }

        foreach (var (name, value) in FixedOptions) Child(options, name).Value = value;

        var device = root.Elements("device").FirstOrDefault(d => (string?)d.Attribute("id") == self.Value)
            ?? throw new FormatException($"config.xml has no <device> for this node's own ID {self}");
        device.SetAttributeValue("name", node.Value);

        return document.ToString(SaveOptions.DisableFormatting) == before ? null : document.Declaration + document.ToString();
    }

    private static XElement Child(XElement parent, string name)
    {
        var child = parent.Element(name);
        if (child is not null) return child;
        child = new XElement(name);
        parent.Add(child);
        return child;
    }
}
