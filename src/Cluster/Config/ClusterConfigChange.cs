using System.Text.Json.Nodes;

namespace HaManager.Cluster.Config;

/// <summary>One top-level field whose value a `config set` changes; values as compact JSON (null: absent).</summary>
public sealed record ClusterConfigChange(
    [property: System.Text.Json.Serialization.JsonPropertyName("field")] string Field,
    [property: System.Text.Json.Serialization.JsonPropertyName("from")] string? From,
    [property: System.Text.Json.Serialization.JsonPropertyName("to")] string? To)
{
    /// <summary>The fields that differ between two config documents, in the order of the new one.</summary>
    public static IReadOnlyList<ClusterConfigChange> Between(JsonObject before, JsonObject after) =>
        after.Select(p => p.Key).Concat(before.Select(p => p.Key)).Distinct(StringComparer.Ordinal)
            .Select(field => new ClusterConfigChange(field, before[field]?.ToJsonString(), after[field]?.ToJsonString()))
            .Where(c => c.From != c.To)
            .ToList();
}
