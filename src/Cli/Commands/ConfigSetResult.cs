using System.Text.Json.Serialization;
using HaManager.Cluster.Config;

namespace HaManager.Cli.Commands;

/// <summary>`config set --json`. <see cref="ModifyIndex"/> is the index of the value the change was made against.</summary>
public sealed record ConfigSetResult(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("changes")] IReadOnlyList<ClusterConfigChange> Changes,
    [property: JsonPropertyName("written")] bool Written,
    [property: JsonPropertyName("dry_run")] bool DryRun,
    [property: JsonPropertyName("modify_index")] ulong ModifyIndex);
