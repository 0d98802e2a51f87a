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
}
