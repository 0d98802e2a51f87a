using System.Net;
using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Watchers.Keepalived;

namespace HaManager.Bootstrap;

/// <summary>The KV writes a node makes about itself while holding the bootstrap lock. Each is a no-op when already right.</summary>
public sealed class NodeRegistration(IKvStore kv, KvKeys keys, NodeName node, IPAddress address)
{
    public async Task<string> RegisterNodeAsync(CancellationToken cancellationToken)
    {
        var key = keys.Node(node);
        var entry = (await kv.GetAsync(key, null, cancellationToken)).Value;
        if (entry is not null && KvJson.TryParse<NodeRecord>(entry, out var existing, out _))
        {
            if (!existing.Address.Equals(address))
                throw new BootstrapException($"node name {node} is already registered at '{key}' with address {existing.Address}, not {address}; choose another --node-name or remove that registration", invalidInput: true);
            return $"already registered at '{key}' since {existing.JoinedAt:u}";
        }

        var record = new NodeRecord { Name = node, Address = address, JoinedAt = DateTimeOffset.UtcNow, Version = Version };
        if (!await kv.PutAsync(key, KvJson.Serialize(record), entry?.ModifyIndex ?? 0, cancellationToken))
            throw new BootstrapException($"'{key}' changed while registering (is another bootstrap of {node} running?); re-run bootstrap");
        return entry is null ? $"registered at '{key}'" : $"replaced the invalid value at '{key}'";
    }

    public async Task<string> RegisterKeepalivedAsync(CancellationToken cancellationToken)
    {
        var key = keys.KeepalivedNode(node);
        var configEntry = (await kv.GetAsync(keys.Config, null, cancellationToken)).Value
            ?? throw new BootstrapException($"no cluster config at '{keys.Config}'");
        var config = KvJson.Parse<ClusterConfig>(configEntry);
        var all = await kv.ListAsync(keys.KeepalivedNodesPrefix, null, cancellationToken);
        var mine = all.Value.FirstOrDefault(e => e.Key == key);
        if (mine is not null && KvJson.TryParse<KeepalivedNodeRecord>(mine, out var existing, out _))
            return $"keeps priority {existing.Priority} (at '{key}')";

        var others = new List<int>();
        foreach (var entry in all.Value.Where(e => e.Key != key))
        {
            others.Add(KvJson.Parse<KeepalivedNodeRecord>(entry).Priority);
        }

        var priority = KeepalivedPriorities.Choose(config, others);
        var record = new KeepalivedNodeRecord { Priority = priority, State = KeepalivedState.Unknown };
        if (!await kv.PutAsync(key, KvJson.Serialize(record), mine?.ModifyIndex ?? 0, cancellationToken))
            throw new BootstrapException($"'{key}' changed while choosing a priority; re-run bootstrap");
        return others.Count == 0
            ? $"priority {priority}: first node, it will hold the virtual IP"
            : $"priority {priority}: one step below the lowest of {others.Count} registered node(s)";
    }

    private static string Version => typeof(NodeRegistration).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
