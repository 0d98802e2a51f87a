using System.Text.Json;
using System.Text.Json.Nodes;

namespace HaManager.IntegrationTests.Support;

/// <summary>Reads a lab node's syncthing through its REST API (inside the node's namespace) and edits the replicated folders in KV.</summary>
public static class LabSyncthing
{
    public static string ResourcesDir(string node) => Lab.NodeFile(node, "opt/manager/resources");

    public static async Task<JsonElement> ConfigAsync(string node)
    {
        var key = (await File.ReadAllTextAsync(Lab.NodeFile(node, "var/lib/hamanager/syncthing-api-key"))).Trim();
        var result = await Lab.ExecAsync(node, "curl", "-sSf", "--max-time", "5", "-H", $"X-API-Key: {key}", "http://127.0.0.1:8384/rest/config");
        if (!result.Succeeded) throw new InvalidOperationException($"syncthing on {node} did not answer: {result.OutputTail()}");
        return JsonDocument.Parse(result.StandardOutput).RootElement.Clone();
    }

    public static IReadOnlyList<string> DeviceIds(JsonElement config) =>
        config.GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("deviceID").GetString()!).Order(StringComparer.Ordinal).ToList();

    /// <summary>Device IDs a folder is shared with, empty when the folder is not configured.</summary>
    public static IReadOnlyList<string> SharedWith(JsonElement config, string folder) =>
        config.GetProperty("folders").EnumerateArray().Where(f => f.GetProperty("id").GetString() == folder)
            .SelectMany(f => f.GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("deviceID").GetString()!))
            .Order(StringComparer.Ordinal).ToList();

    public static async Task<string> DeviceIdAsync(string node, string observer = "n1")
    {
        var result = await Lab.ConsulKvAsync(observer, "get", $"hamanager/syncthing/devices/{node}");
        if (!result.Succeeded) throw new InvalidOperationException($"no syncthing device registered for {node}: {result.OutputTail()}");
        return JsonDocument.Parse(result.StandardOutput).RootElement.GetProperty("device_id").GetString()!;
    }

    /// <summary>Rewrites the cluster config's replicated_folders through Consul, as an operator would with `consul kv put`.</summary>
    public static async Task EditFoldersAsync(Action<JsonArray> edit)
    {
        var current = await Lab.ConsulKvAsync("n1", "get", "hamanager/config");
        if (!current.Succeeded) throw new InvalidOperationException($"cannot read hamanager/config: {current.OutputTail()}");
        var config = JsonNode.Parse(current.StandardOutput)!.AsObject();
        if (config["replicated_folders"] is not JsonArray folders)
        {
            folders = new JsonArray(
                new JsonObject { ["id"] = "resources", ["path"] = "/opt/manager/resources" },
                new JsonObject { ["id"] = "plugins", ["path"] = "/opt/mgmtworker/env/plugins" });
            config["replicated_folders"] = folders;
        }

        edit(folders);
        var put = await Lab.ConsulKvAsync("n1", "put", "hamanager/config", config.ToJsonString());
        if (!put.Succeeded) throw new InvalidOperationException($"cannot write hamanager/config: {put.OutputTail()}");
    }

    public static async Task<byte[]> WriteRandomFileAsync(string path, int size)
    {
        var bytes = System.Security.Cryptography.RandomNumberGenerator.GetBytes(size);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, bytes);
        return bytes;
    }

    /// <summary>The file's bytes, or null while it is absent (syncthing writes a temporary file and renames it into place).</summary>
    public static byte[]? TryRead(string path) => File.Exists(path) ? File.ReadAllBytes(path) : null;
}
