using System.Text.Json.Nodes;

namespace HaManager.Watchers.Syncthing;

/// <summary>The parts of syncthing's REST API HaManager uses. Every failure is a <see cref="SyncthingApiException"/>.</summary>
public interface ISyncthingApi
{
    Task<string> MyDeviceIdAsync(CancellationToken cancellationToken);

    /// <summary>The whole configuration (<c>GET /rest/config</c>); changed copies go back whole, so unknown fields survive.</summary>
    Task<JsonObject> GetConfigAsync(CancellationToken cancellationToken);

    /// <summary>Replaces the configuration in one request: syncthing applies device and folder changes without a restart.</summary>
    Task PutConfigAsync(JsonObject config, CancellationToken cancellationToken);

    Task<JsonObject> DefaultDeviceAsync(CancellationToken cancellationToken);

    Task<JsonObject> DefaultFolderAsync(CancellationToken cancellationToken);

    /// <summary>Device ID → connected right now.</summary>
    Task<IReadOnlyDictionary<string, bool>> ConnectionsAsync(CancellationToken cancellationToken);

    /// <param name="device">null: this node's own completion.</param>
    Task<FolderCompletion> CompletionAsync(string folder, string? device, CancellationToken cancellationToken);

    /// <summary>Rescans a folder and returns when the scan is done, so files written just before are in the index.</summary>
    Task ScanAsync(string folder, CancellationToken cancellationToken);
}
