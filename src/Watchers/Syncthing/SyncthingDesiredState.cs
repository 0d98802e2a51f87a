using HaManager.Cluster;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Watchers.Engine;

namespace HaManager.Watchers.Syncthing;

public sealed record SyncthingPeer(NodeName Node, SyncthingDeviceId DeviceId, SyncthingAddress Address);

public sealed record SyncthingFolder(string Id, string LocalPath);

/// <summary>
/// What the local syncthing should be configured with, read from KV: every other registered device,
/// and every replicated folder shared with all of them. Built only from parsed, validated values.
/// </summary>
public sealed record SyncthingDesiredState(IReadOnlyList<SyncthingPeer> Peers, IReadOnlyList<SyncthingFolder> Folders)
{
    /// <returns>null with <paramref name="errors"/> filled when any value is invalid, or with <paramref name="notReady"/> set when there is no cluster config yet.</returns>
    public static SyncthingDesiredState? Read(KvSnapshot snapshot, NodeName self, Func<ReplicatedFolder, string> localPath,
        List<KvValueError> errors, out string? notReady)
    {
        notReady = null;
        var keys = snapshot.Keys;
        var config = snapshot.Parse<ClusterConfig>(keys.Config, errors);
        var devices = snapshot.ParseNodes<SyncthingDeviceRecord>(keys.SyncthingDevicesPrefix, errors);
        var owners = new Dictionary<SyncthingDeviceId, string>();
        foreach (var (name, device) in devices.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            if (owners.TryGetValue(device.DeviceId, out var owner))
                errors.Add(new KvValueError(keys.SyncthingDevicesPrefix + name, $"device ID {device.DeviceId} is already registered for node {owner}"));
            else owners[device.DeviceId] = name;
        }

        if (errors.Count > 0) return null;
        if (config is null)
        {
            notReady = $"no cluster config at '{keys.Config}'";
            return null;
        }

        var peers = devices.Where(d => d.Key != self.Value)
            .Select(d => new SyncthingPeer(NodeName.Parse(d.Key), d.Value.DeviceId, d.Value.Address))
            .OrderBy(p => p.Node.Value, StringComparer.Ordinal).ToList();
        var folders = config.ReplicatedFolders.Select(f => new SyncthingFolder(f.Id, localPath(f))).ToList();
        return new SyncthingDesiredState(peers, folders);
    }
}
