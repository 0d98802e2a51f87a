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

    public async Task<ClusterSeed> ConfigAsync(string virtualIp = "10.231.0.100/24", IReadOnlyList<ReplicatedFolder>? folders = null)
    {
        var config = new ClusterConfig
        {
            VirtualIp = Cidr.Parse(virtualIp), CreatedBy = NodeName.Parse("n1"), CreatedAt = DateTimeOffset.UnixEpoch,
            ReplicatedFolders = folders ?? ReplicatedFolder.Defaults,
        };
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

    public async Task<ClusterSeed> SyncthingDeviceAsync(string name, string deviceId, string address)
    {
        await kv.PutAsync(Keys.SyncthingDevice(NodeName.Parse(name)), KvJson.Serialize(new SyncthingDeviceRecord
        {
            DeviceId = SyncthingDeviceId.Parse(deviceId),
            Address = SyncthingAddress.Parse(address),
            RegisteredAt = DateTimeOffset.UnixEpoch,
        }));
        return this;
    }

    public Task TransitionAsync(DateTimeOffset at, string node, string service, string from, string to) =>
        kv.PutAsync(Keys.Transition(at, NodeName.Parse(node), service),
            KvJson.Serialize(new Transition { Node = NodeName.Parse(node), Service = service, From = from, To = to, At = at }));

    public Task RawAsync(string key, string value) => kv.PutAsync(key, Encoding.UTF8.GetBytes(value));

    public Task<ClusterSeed> PostgresAsync(string master, DateTimeOffset? since = null, params (string Name, int Id, PostgresRole Role)[] nodes) =>
        PostgresAsync(master, since, null, nodes);

    public async Task<ClusterSeed> PostgresAsync(string master, DateTimeOffset? since, int? timeline, params (string Name, int Id, PostgresRole Role)[] nodes)
    {
        foreach (var (name, id, role) in nodes)
            await kv.PutAsync(Keys.PostgresNode(NodeName.Parse(name)), KvJson.Serialize(new PostgresNodeRecord { NodeId = id, Role = role }));
        var masterId = nodes.Single(n => n.Name == master).Id;
        await kv.PutAsync(Keys.PostgresMaster, KvJson.Serialize(new PostgresMasterRecord
        {
            Node = NodeName.Parse(master), Host = IpAddresses.Parse($"10.231.0.{10 + masterId}"), Port = 5432, NodeId = masterId,
            Since = since ?? DateTimeOffset.UnixEpoch,
            Timeline = timeline,
        }));
        await kv.PutAsync(Keys.PostgresSecrets, KvJson.Serialize(new PostgresSecrets { RepmgrPassword = new string('r', 32), AppPassword = new string('a', 32) }));
        return this;
    }
}
