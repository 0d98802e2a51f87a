using System.Text.Json.Serialization;

namespace HaManager.Api.Status;

/// <param name="DeviceId">The device the node registered in KV.</param>
/// <param name="Connected">Whether the local node's syncthing is connected to it; null for the local node itself or when not asked.</param>
/// <param name="Folders">Completion in percent per replicated folder, as the local syncthing sees this node (null: unknown).</param>
public sealed record SyncthingStatus(
    [property: JsonPropertyName("device_id")] string? DeviceId,
    [property: JsonPropertyName("connected")] bool? Connected,
    [property: JsonPropertyName("folders")] IReadOnlyDictionary<string, double?> Folders);
