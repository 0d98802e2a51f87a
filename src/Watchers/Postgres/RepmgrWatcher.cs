using HaManager.Cluster;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Templates;
using HaManager.Templates.Views;
using HaManager.Watchers.Engine;

namespace HaManager.Watchers.Postgres;

/// <summary>
/// repmgr.conf (local settings plus this node's repmgr node id from <c>postgres/nodes/&lt;node&gt;</c>) and the passfile
/// it names (<see cref="PgPassFile"/>: one line per registered node, so it follows joins and removals).
/// </summary>
public sealed class RepmgrWatcher(KvKeys keys, PostgresLocal local, RepmgrWatcherOptions options, TemplateRenderer renderer) : IServiceWatcher
{
    private readonly PgPassFile _passFile = new(keys, local, options.Address);

    public string Name => "repmgr";

    public IReadOnlyList<string> Prefixes { get; } = [keys.PostgresNodesPrefix, keys.KeepalivedNodesPrefix, keys.Config, keys.NodesPrefix, keys.PostgresSecrets];

    public ServiceTarget Service { get; } = new("repmgrd", local.RepmgrdService);

    public WatchOutput Render(KvSnapshot snapshot)
    {
        var errors = new List<KvValueError>();
        var self = snapshot.Parse<PostgresNodeRecord>(keys.PostgresNode(options.Node), errors);
        var vrrp = snapshot.Parse<KeepalivedNodeRecord>(keys.KeepalivedNode(options.Node), errors);
        var passFile = _passFile.Render(snapshot, errors, out var passFileNotReady);
        if (errors.Count > 0) return WatchOutput.Invalid(errors);
        if (self is null) return WatchOutput.NotReady($"no repmgr node id at '{keys.PostgresNode(options.Node)}'");
        // Bootstrap writes the passfile before anything runs; without its inputs the one there is kept, never emptied.
        if (passFile is null) return WatchOutput.NotReady(passFileNotReady!);

        // repmgr's promotion priority follows the VRRP priority, so the standby repmgr promotes is the node the VIP moves to.
        var priority = vrrp?.Priority ?? 100;
        var view = new RepmgrConfView(options.Node, self.NodeId, options.Address, local.Port, options.Paths, options.Commands, options.Timing, priority);
        var content = renderer.Render("repmgr.conf", view);
        var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
        return WatchOutput.Ready([new RenderedFile(local.RepmgrConfigFile, content, mode, Owner: local.OsUser), passFile], $"node id {self.NodeId}, priority {priority}");
    }
}
