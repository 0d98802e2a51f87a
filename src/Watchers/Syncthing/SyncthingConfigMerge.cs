using System.Text.Json.Nodes;

namespace HaManager.Watchers.Syncthing;

/// <summary>
/// Brings syncthing's configuration (as JSON from <c>GET /rest/config</c>) in line with the desired
/// state, touching only what HaManager owns: the device list, and the folders with their sharing and
/// watcher settings. Everything else in the object is left as syncthing wrote it. Pure: no I/O.
/// </summary>
public static class SyncthingConfigMerge
{
    /// <summary>Seconds the file watcher waits before scanning: 1 s replicates an upload in about a second (syncthing's default 10 s would not).</summary>
    public const int FsWatcherDelaySeconds = 1;

    /// <returns>One short phrase per change; empty when the configuration already matched.</returns>
    public static IReadOnlyList<string> Apply(JsonObject config, SyncthingDesiredState desired, string selfDeviceId, JsonObject deviceDefaults, JsonObject folderDefaults)
    {
        var changes = new List<string>();
        var devices = ArrayOf(config, "devices");
        var folders = ArrayOf(config, "folders");
        var wanted = desired.Peers.ToDictionary(p => p.DeviceId.Value, StringComparer.Ordinal);

        foreach (var peer in desired.Peers)
        {
            var existing = devices.OfType<JsonObject>().FirstOrDefault(d => IdOf(d, "deviceID") == peer.DeviceId.Value);
            var isNew = existing is null;
            if (existing is null)
            {
                existing = (JsonObject)deviceDefaults.DeepClone();
                existing["deviceID"] = peer.DeviceId.Value;
                devices.Add(existing);
                changes.Add($"added device {peer.Node} ({Short(peer.DeviceId.Value)}, {peer.Address})");
            }

            var address = peer.Address.ToString();
            var addressChanged = existing["addresses"] is not JsonArray { Count: 1 } current || current[0]?.GetValue<string>() != address;
            if (addressChanged) existing["addresses"] = new JsonArray(address);
            var oldName = IdOf(existing, "name");
            if (oldName != peer.Node.Value)
            {
                existing["name"] = peer.Node.Value;
                if (!isNew) changes.Add($"renamed device {Short(peer.DeviceId.Value)} from '{oldName}' to {peer.Node}");
            }

            if (addressChanged && !isNew) changes.Add($"set {peer.Node}'s address to {address}");
        }

        foreach (var stale in devices.OfType<JsonObject>().Where(d => IdOf(d, "deviceID") is { } id && id != selfDeviceId && !wanted.ContainsKey(id)).ToList())
        {
            devices.Remove(stale);
            changes.Add($"removed device {IdOf(stale, "name") ?? "?"} ({Short(IdOf(stale, "deviceID")!)}): no longer registered");
        }

        var sharedWith = new[] { selfDeviceId }.Concat(desired.Peers.Select(p => p.DeviceId.Value)).ToList();
        foreach (var folder in desired.Folders)
        {
            var existing = folders.OfType<JsonObject>().FirstOrDefault(f => IdOf(f, "id") == folder.Id);
            var isNew = existing is null;
            if (existing is null)
            {
                existing = (JsonObject)folderDefaults.DeepClone();
                existing["id"] = folder.Id;
                existing["label"] = folder.Id;
                existing["path"] = folder.LocalPath;
                existing["devices"] = new JsonArray();
                folders.Add(existing);
                changes.Add($"added folder {folder.Id} ({folder.LocalPath})");
            }
            else if (IdOf(existing, "path") != folder.LocalPath)
            {
                changes.Add($"moved folder {folder.Id} from {IdOf(existing, "path")} to {folder.LocalPath}");
                existing["path"] = folder.LocalPath;
            }

            Set(existing, "type", "sendreceive", folder.Id, changes);
            Set(existing, "fsWatcherEnabled", true, folder.Id, changes);
            Set(existing, "fsWatcherDelayS", FsWatcherDelaySeconds, folder.Id, changes);
            Set(existing, "paused", false, folder.Id, changes);

            var current = (existing["devices"] as JsonArray)?.OfType<JsonObject>().Select(d => IdOf(d, "deviceID")).OfType<string>().ToHashSet(StringComparer.Ordinal) ?? [];
            if (!current.SetEquals(sharedWith))
            {
                var added = desired.Peers.Where(p => !current.Contains(p.DeviceId.Value)).Select(p => p.Node.Value).ToList();
                var removed = current.Count(id => !sharedWith.Contains(id));
                existing["devices"] = new JsonArray(sharedWith.Select(id => (JsonNode)new JsonObject { ["deviceID"] = id, ["introducedBy"] = "", ["encryptionPassword"] = "" }).ToArray());
                if (added.Count > 0) changes.Add($"shared {folder.Id} with {string.Join(", ", added)}");
                if (removed > 0) changes.Add($"unshared {folder.Id} from {removed} unregistered device(s)");
                if (added.Count == 0 && removed == 0 && !isNew) changes.Add($"shared {folder.Id} with this node's own device");
            }
        }

        var folderIds = desired.Folders.Select(f => f.Id).ToHashSet(StringComparer.Ordinal);
        var refused = desired.Refused.GroupBy(r => r.Folder.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var stale in folders.OfType<JsonObject>().Where(f => !folderIds.Contains(IdOf(f, "id") ?? string.Empty)).ToList())
        {
            var id = IdOf(stale, "id") ?? string.Empty;
            if (refused.TryGetValue(id, out var refusal))
            {
                // A refused change keeps the folder's last good configuration; a refusal of the very directory syncthing uses stops it.
                if (refusal.LocalPath is null || IdOf(stale, "path") != refusal.LocalPath) continue;
                folders.Remove(stale);
                changes.Add($"removed folder {id} (refused here: {refusal.Reason}; its files stay on disk)");
                continue;
            }

            folders.Remove(stale);
            changes.Add($"removed folder {id} (no longer in the cluster config; its files stay on disk)");
        }

        return changes;
    }

    private static void Set<T>(JsonObject folder, string property, T value, string folderId, List<string> changes)
    {
        var current = folder[property];
        if (current is JsonValue v && v.TryGetValue<T>(out var existing) && EqualityComparer<T>.Default.Equals(existing, value)) return;
        folder[property] = JsonValue.Create(value);
        if (!changes.Any(c => c.StartsWith($"added folder {folderId} ", StringComparison.Ordinal))) changes.Add($"set {folderId}.{property} to {value}");
    }

    private static JsonArray ArrayOf(JsonObject config, string property)
    {
        if (config[property] is JsonArray array) return array;
        if (config[property] is not null) throw new SyncthingApiException($"syncthing's configuration has a '{property}' that is not a list");
        array = new JsonArray();
        config[property] = array;
        return array;
    }

    private static string? IdOf(JsonObject node, string property) =>
        node[property] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static string Short(string deviceId) => deviceId.Length > 7 ? deviceId[..7] : deviceId;
}
