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
    /// <summary>
    /// Folders of the cluster config this node refuses (<see cref="ReplicatedFolderGuard"/>): never added; one syncthing
    /// already has under its id is left exactly as it is (its last good configuration), unless the refusal is about
    /// that very directory (a symbolic link now leads out of its root), which then stops being replicated.
    /// </summary>
    public IReadOnlyList<ReplicatedFolderRefusedException> Refused { get; init; } = [];

    /// <summary>Device records not used: each key with the reason (no registered node of that name).</summary>
    public IReadOnlyList<KvValueError> Unused { get; init; } = [];

    /// <summary>One sentence per refused folder or unused device record, naming its KV key.</summary>
    public IEnumerable<string> Refusals(KvKeys keys) =>
        Refused.Select(r => $"'{keys.Config}': {r.Message}; it is not added to syncthing here (a folder syncthing already has keeps its last good configuration)")
            .Concat(Unused.Select(u => $"'{u.Key}' is not used: {u.Reason}"));

    /// <returns>null with <paramref name="errors"/> filled when any value is invalid, or with <paramref name="notReady"/> set when there is no cluster config yet.</returns>
    /// <param name="localPath">Where a folder lives on this node; throws <see cref="ReplicatedFolderRefusedException"/> for a folder refused here.</param>
    public static SyncthingDesiredState? Read(KvSnapshot snapshot, NodeName self, Func<ReplicatedFolder, string> localPath,
        List<KvValueError> errors, out string? notReady)
    {
        notReady = null;
        var keys = snapshot.Keys;
        var config = snapshot.Parse<ClusterConfig>(keys.Config, errors);
        var devices = snapshot.ParseNodes<SyncthingDeviceRecord>(keys.SyncthingDevicesPrefix, errors);
        // Only a registered node's device is a peer: a device record alone (anyone who may write KV could add one) is not enough.
        var registered = snapshot.ParseRegisteredNodes([]);
        var unused = new List<KvValueError>();
        foreach (var name in devices.Keys.Where(n => !registered.ContainsKey(n) && n != self.Value).Order(StringComparer.Ordinal).ToList())
        {
            unused.Add(new KvValueError(keys.SyncthingDevicesPrefix + name, $"no node '{name}' is registered ('{keys.NodesPrefix}{name}' is missing or invalid), so no node's syncthing uses this device"));
            devices.Remove(name);
        }

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
        var folders = new List<SyncthingFolder>();
        var refused = new List<ReplicatedFolderRefusedException>();
        foreach (var folder in config.ReplicatedFolders)
        {
            try
            {
                folders.Add(new SyncthingFolder(folder.Id, localPath(folder)));
            }
            catch (ReplicatedFolderRefusedException e)
            {
                refused.Add(e);
            }
        }

        return new SyncthingDesiredState(peers, folders) { Refused = refused, Unused = unused };
    }
}
