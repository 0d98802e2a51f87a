using System.Text.Json.Serialization;

namespace HaManager.Cli.Commands;

/// <summary>One node that does not have a folder yet, in `sync wait --json`.</summary>
public sealed record SyncWaitLagging(
    [property: JsonPropertyName("node")] string Node,
    [property: JsonPropertyName("folder")] string Folder,
    [property: JsonPropertyName("reason")] string Reason);
