using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;

namespace HaManager.Cli.Status;

/// <summary>Builds the cluster's status from one read of each KV prefix; invalid values become named problems.</summary>
public sealed class ClusterStatusReader(IKvStore kv, KvKeys keys)
{
    public const int TransitionsShown = 50;

    public async Task<ClusterStatus> ReadAsync(CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var configEntry = (await kv.GetAsync(keys.Config, null, cancellationToken)).Value;
        ClusterConfig? config = null;
        if (configEntry is null) problems.Add($"no cluster config at '{keys.Config}' (not bootstrapped?)");
        else if (!KvJson.TryParse(configEntry, out config, out var configError)) problems.Add(configError.ToString());

        var nodes = await ReadAllAsync<NodeRecord>(keys.NodesPrefix, problems, cancellationToken);
        var keepalived = await ReadAllAsync<KeepalivedNodeRecord>(keys.KeepalivedNodesPrefix, problems, cancellationToken);
        var transitions = await ReadAllAsync<Transition>(keys.TransitionsPrefix, problems, cancellationToken);

        var names = nodes.Keys.Union(keepalived.Keys).Order(StringComparer.Ordinal);
        var nodeStatuses = names.Select(name =>
        {
            nodes.TryGetValue(name, out var node);
            keepalived.TryGetValue(name, out var vrrp);
            return new NodeStatus(name, node?.Address.ToString(), node?.JoinedAt, node?.Version,
                new KeepalivedStatus(vrrp?.Priority, (vrrp?.State ?? KeepalivedState.Unknown).ToString().ToUpperInvariant(), vrrp?.Since));
        }).ToList();

        var masters = nodeStatuses.Where(n => n.Keepalived.State == "MASTER").Select(n => n.Name).ToList();
        if (masters.Count == 0) problems.Add("no node reports keepalived MASTER: the virtual IP may be unassigned");
        if (masters.Count > 1) problems.Add($"{masters.Count} nodes report keepalived MASTER ({string.Join(", ", masters)}): split brain on the virtual IP");
        foreach (var name in keepalived.Keys.Except(nodes.Keys)) problems.Add($"'{keys.KeepalivedNode(NodeName.Parse(name))}' exists but node {name} is not registered");

        var recent = transitions.Values.OrderBy(t => t.At).TakeLast(TransitionsShown)
            .Select(t => new TransitionStatus(t.At, t.Node.Value, t.Service, t.From, t.To, t.Details)).ToList();
        return new ClusterStatus(config?.VirtualIp.ToString(), masters.Count == 1 ? masters[0] : null, nodeStatuses, recent, problems.Count > 0, problems);
    }

    private async Task<Dictionary<string, T>> ReadAllAsync<T>(string prefix, List<string> problems, CancellationToken cancellationToken)
        where T : class, IKvRecord
    {
        var records = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var entry in (await kv.ListAsync(prefix, null, cancellationToken)).Value)
        {
            var name = KvKeys.LastSegment(entry.Key, prefix);
            if (KvJson.TryParse<T>(entry, out var record, out var error)) records[name] = record;
            else problems.Add(error.ToString());
        }

        return records;
    }
}
