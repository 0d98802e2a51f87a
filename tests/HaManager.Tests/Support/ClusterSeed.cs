using System.Text;
using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;

namespace HaManager.Tests.Support;

/// <summary>Writes the KV records a bootstrapped cluster would hold.</summary>
public sealed class ClusterSeed(IKvStore kv, KvKeys? keys = null)
{
    public KvKeys Keys { get; } = keys ?? new KvKeys();

    public async Task<ClusterSeed> ConfigAsync(string virtualIp = "10.231.0.100/24")
    {
        var config = new ClusterConfig { VirtualIp = Cidr.Parse(virtualIp), CreatedBy = NodeName.Parse("n1"), CreatedAt = DateTimeOffset.UnixEpoch };
        await kv.PutAsync(Keys.Config, KvJson.Serialize(config));
        return this;
    }

    public async Task<ClusterSeed> NodeAsync(string name, string address, int priority, KeepalivedState state = KeepalivedState.Unknown)
    {
        var node = NodeName.Parse(name);
        await kv.PutAsync(Keys.Node(node), KvJson.Serialize(new NodeRecord
        {
            Name = node,
            Address = IpAddresses.Parse(address),
            JoinedAt = DateTimeOffset.UnixEpoch,
            Version = "0.1.0",
        }));
        await kv.PutAsync(Keys.KeepalivedNode(node), KvJson.Serialize(new KeepalivedNodeRecord { Priority = priority, State = state }));
        return this;
    }

    public Task RawAsync(string key, string value) => kv.PutAsync(key, Encoding.UTF8.GetBytes(value));
}
