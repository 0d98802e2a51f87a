using System.Text.Json.Serialization;
using HaManager.Watchers.Syncthing;

namespace HaManager.Cli.Commands;

/// <summary>`hamanager sync wait --json` (docs/operations.md): printed whether or not the folders were confirmed in time.</summary>
public sealed record SyncWaitResult(
    [property: JsonPropertyName("folders")] IReadOnlyList<string> Folders,
    [property: JsonPropertyName("replicated")] bool Replicated,
    [property: JsonPropertyName("required_peers")] int RequiredPeers,
    [property: JsonPropertyName("confirmed")] IReadOnlyList<string> Confirmed,
    [property: JsonPropertyName("lagging")] IReadOnlyList<SyncWaitLagging> Lagging,
    [property: JsonPropertyName("seconds")] double Seconds,
    [property: JsonPropertyName("timeout_seconds")] double TimeoutSeconds)
{
    public static SyncWaitResult From(IReadOnlyList<string> folders, int requiredPeers, double timeoutSeconds, ReplicationResult result) => new(
        folders, result.Replicated, requiredPeers,
        result.Confirmed.Select(n => n.Value).ToList(),
        result.Lagging.Select(l => new SyncWaitLagging(l.Node.Value, l.Folder, l.Reason)).ToList(),
        Math.Round(result.Elapsed.TotalSeconds, 2), timeoutSeconds);
}
