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

    public WatchOutput Render(KvSnapshot snapshot)
    {
        var errors = new List<KvValueError>();
        var configEntry = snapshot.Get(keys.Config);
        ClusterConfig? config = null;
        if (configEntry is not null && !KvJson.TryParse(configEntry, out config, out var configError)) errors.Add(configError);

        var nodes = ParseAll<NodeRecord>(snapshot, keys.NodesPrefix, errors);
        var priorities = ParseAll<KeepalivedNodeRecord>(snapshot, keys.KeepalivedNodesPrefix, errors);
        foreach (var (name, node) in nodes)
        {
            if (node.Name.Value != name) errors.Add(new KvValueError(keys.NodesPrefix + name, $"the record names node '{node.Name}', not '{name}'"));
        }

        if (errors.Count > 0) return WatchOutput.Invalid(errors);
        if (config is null) return WatchOutput.NotReady($"no cluster config at '{keys.Config}'");
        if (!priorities.TryGetValue(options.Node.Value, out var self))
            return WatchOutput.NotReady($"no priority for this node at '{keys.KeepalivedNode(options.Node)}'");

        var peers = nodes.Values.Where(n => n.Name != options.Node).Select(n => n.Address).Distinct().ToList();
        var highest = priorities.Where(p => p.Key != options.Node.Value).Select(p => p.Value.Priority).DefaultIfEmpty(0).Max();
        var view = new KeepalivedConfView(
            keys.Prefix, options.Node, initialMaster: self.Priority > highest, options.Interface, config.VrrpRouterId,
            self.Priority, config.AdvertIntSeconds, options.Address, peers, config.VirtualIp, options.NotifyCommand);
        var content = renderer.Render(TemplateName, view);
        var file = new RenderedFile(options.ConfigFile, content, AtomicFile.DefaultMode, [options.Binary, "-t", "-e", "-f", RenderedFile.FilePlaceholder]);
        var summary = $"priority {self.Priority}, VIP {config.VirtualIp}, unicast peers {(peers.Count == 0 ? "none" : string.Join(' ', view.UnicastPeers))}";
        return WatchOutput.Ready([file], summary);
    }

    private static Dictionary<string, T> ParseAll<T>(KvSnapshot snapshot, string prefix, List<KvValueError> errors) where T : class, IKvRecord
    {
        var records = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var entry in snapshot.Under(prefix))
        {
            var name = KvKeys.LastSegment(entry.Key, prefix);
            if (!NodeName.TryParse(name, out _, out var nameError)) errors.Add(new KvValueError(entry.Key, $"the key does not end in a valid node name: {nameError}"));
            else if (KvJson.TryParse<T>(entry, out var record, out var error)) records[name] = record;
            else errors.Add(error);
        }

        return records;
    }
}
