using HaManager.Cli.Nodes;
using HaManager.Cluster.Model;

namespace HaManager.Tests.Cli.Nodes;

/// <summary>repmgr.nodes as a set of names with ids; <see cref="Failure"/> makes the primary unreachable.</summary>
internal sealed class FakeRepmgrRegistry : IRepmgrRegistry
{
    public Dictionary<string, int> Registered { get; } = new(StringComparer.Ordinal);
    public List<string> Calls { get; } = [];
    public Exception? Failure { get; set; }

    public Task<RepmgrUnregistration> UnregisterAsync(PostgresMasterRecord primary, PostgresSecrets secrets, NodeName node, int? nodeId, CancellationToken cancellationToken)
    {
        Calls.Add($"unregister {node} id {nodeId} on {primary.Node}");
        if (Failure is not null) throw Failure;
        if (!Registered.Remove(node.Value, out var id)) return Task.FromResult(new RepmgrUnregistration([], []));
        return Task.FromResult(new RepmgrUnregistration([id], ["repmgr_slot_" + id]));
    }
}
