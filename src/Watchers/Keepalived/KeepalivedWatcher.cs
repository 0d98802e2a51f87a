using HaManager.Cluster;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Templates;
using HaManager.Templates.Views;
using HaManager.Watchers.Engine;
using HaManager.Watchers.Files;

namespace HaManager.Watchers.Keepalived;

/// <summary>
/// Renders keepalived.conf from the cluster config, the registered nodes (unicast peers) and this
/// node's priority. Everything is parsed and validated first; any invalid value keeps the current file.
/// </summary>
public sealed class KeepalivedWatcher(KvKeys keys, KeepalivedWatcherOptions options, TemplateRenderer renderer) : IServiceWatcher
{
    public const string TemplateName = "keepalived.conf";

    public string Name => "keepalived";

    public IReadOnlyList<string> Prefixes { get; } = [keys.Config, keys.NodesPrefix, keys.KeepalivedNodesPrefix];

    public ServiceTarget Service { get; } = new("keepalived", options.Service);

    /// <summary>keepalived.conf is this watcher's alone (the VIP track file is a reconciler's, and keepalived reads it by itself).</summary>
    public bool RendersIndependently => true;

    public WatchOutput Render(KvSnapshot snapshot)
    {
        var errors = new List<KvValueError>();
        var config = snapshot.Parse<ClusterConfig>(keys.Config, errors);
        var nodes = snapshot.ParseRegisteredNodes(errors);
        var priorities = snapshot.ParseNodes<KeepalivedNodeRecord>(keys.KeepalivedNodesPrefix, errors);

        if (errors.Count > 0) return WatchOutput.Invalid(errors);
        if (config is null) return WatchOutput.NotReady($"no cluster config at '{keys.Config}'");
        if (!priorities.TryGetValue(options.Node.Value, out var self))
            return WatchOutput.NotReady($"no priority for this node at '{keys.KeepalivedNode(options.Node)}'");

        if (VirtualIpProblem(config.VirtualIp, nodes.Values.Select(n => n.Address)) is { } problem)
            return WatchOutput.Invalid([new KvValueError(keys.Config, problem)]);

        var peers = nodes.Values.Where(n => n.Name != options.Node).Select(n => n.Address).Distinct().ToList();
        var highest = priorities.Where(p => p.Key != options.Node.Value).Select(p => p.Value.Priority).DefaultIfEmpty(0).Max();
        var view = new KeepalivedConfView(
            keys.Prefix, options.Node, initialMaster: self.Priority > highest, options.Interface, config.VrrpRouterId,
            self.Priority, config.AdvertIntSeconds, options.Address, peers, config.VirtualIp, options.NotifyCommand,
            new PrimaryTrackFile(options.TrackFile, config.TopPriority));
        var content = renderer.Render(TemplateName, view);
        var file = new RenderedFile(options.ConfigFile, content, AtomicFile.DefaultMode, [options.Binary, "-t", "-e", "-f", RenderedFile.FilePlaceholder]);
        var summary = $"priority {self.Priority}, VIP {config.VirtualIp}, unicast peers {(peers.Count == 0 ? "none" : string.Join(' ', view.UnicastPeers))}";
        return WatchOutput.Ready([file], summary);
    }

    /// <summary>
    /// The virtual IP from KV is put on this node's interface by root: it must be an address of this node's own
    /// subnet (never another network's, which would hijack it, nor a wider prefix, which would add a route), and
    /// not a registered node's address or the subnet's network or broadcast address.
    /// </summary>
    /// <returns>Why the virtual IP is refused, or null (also when the subnet is unknown or node.address is a /32 or /128).</returns>
    public string? VirtualIpProblem(Cidr vip, IEnumerable<System.Net.IPAddress> nodeAddresses)
    {
        // A host address (/32, /128: point-to-point and some cloud setups) has no subnet to judge the VIP by.
        if (options.Subnet is not { } subnet || subnet.PrefixLength == subnet.Address.GetAddressBytes().Length * 8) return null;
        var where = $"this node's subnet {Network(subnet)} ({options.Address} on {options.Interface.Value})";
        if (vip.Address.AddressFamily != subnet.Address.AddressFamily || !SameNetwork(vip.Address, subnet.Address, subnet.PrefixLength))
            return $"virtual_ip {vip} is not inside {where}: keepalived keeps its current configuration";
        if (vip.PrefixLength < subnet.PrefixLength)
            return $"virtual_ip {vip} has a shorter prefix than {where}: it would route a wider network to this interface";
        if (nodeAddresses.Append(options.Address).Any(a => a.Equals(vip.Address)))
            return $"virtual_ip {vip} is the address of a registered node";
        if (vip.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && subnet.PrefixLength <= 30)
        {
            var host = vip.Address.GetAddressBytes().Select((b, i) => HostBits(b, i, subnet.PrefixLength)).ToList();
            if (host.All(b => b == 0)) return $"virtual_ip {vip} is the network address of {where}";
            if (host.Select((b, i) => b == HostBits(0xff, i, subnet.PrefixLength)).All(x => x)) return $"virtual_ip {vip} is the broadcast address of {where}";
        }

        return null;
    }

    private static bool SameNetwork(System.Net.IPAddress a, System.Net.IPAddress b, int prefix)
    {
        var x = a.GetAddressBytes();
        var y = b.GetAddressBytes();
        return x.Length == y.Length && x.Select((v, i) => NetworkBits(v, i, prefix) == NetworkBits(y[i], i, prefix)).All(same => same);
    }

    private static string Network(Cidr subnet)
    {
        var bytes = subnet.Address.GetAddressBytes().Select((v, i) => NetworkBits(v, i, subnet.PrefixLength)).ToArray();
        return $"{new System.Net.IPAddress(bytes)}/{subnet.PrefixLength}";
    }

    private static byte NetworkBits(byte value, int index, int prefix) => (byte)(value & Mask(index, prefix));

    private static byte HostBits(byte value, int index, int prefix) => (byte)(value & ~Mask(index, prefix) & 0xff);

    private static int Mask(int index, int prefix)
    {
        var bits = Math.Clamp(prefix - index * 8, 0, 8);
        return (0xff << (8 - bits)) & 0xff;
    }
}
