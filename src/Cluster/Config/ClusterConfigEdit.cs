using System.Text.Json;
using System.Text.Json.Nodes;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;

namespace HaManager.Cluster.Config;

/// <summary>
/// `config set KEY=VALUE…` applied to the stored cluster config: each KEY is a top-level field an operator may
/// change, each VALUE is JSON when it parses as JSON (2, true, [..]) and text otherwise (10.0.0.50/24). The whole
/// result must pass the same parsing and validation as every reader of <c>config</c>, or nothing is changed.
/// Fields this version does not know (written by a newer one) are kept as they are.
/// </summary>
public static class ClusterConfigEdit
{
    /// <summary>Fields written once at initialization, and why they cannot change afterwards.</summary>
    public static IReadOnlyDictionary<string, string> Fixed { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["created_by"] = "it records which node initialized the cluster",
        ["created_at"] = "it records when the cluster was initialized",
        ["app_database"] = "bootstrap created the database under this name; a new name would point pgbouncer at a database that does not exist",
        ["app_user"] = "bootstrap created the role under this name; a new name would point pgbouncer at a role that does not exist",
    };

    /// <returns>The new document (the stored one with the changes) and the config it parses to.</returns>
    /// <exception cref="FormatException">A change names an unknown or fixed field, has the wrong type, or the result is invalid; the message names the field.</exception>
    public static (JsonObject Document, ClusterConfig Config) Apply(string key, byte[] stored, IReadOnlyList<string> assignments)
    {
        var document = JsonNode.Parse(stored) as JsonObject ?? throw new FormatException($"'{key}' does not hold a JSON object");
        // Every field with its current or default value: what a change must look like.
        var shape = JsonNode.Parse(KvJson.Serialize(KvJson.Parse<ClusterConfig>(new Consul.KvEntry(key, stored, 0, 0, 0, 0, null))))!.AsObject();
        foreach (var assignment in assignments)
        {
            var (field, value) = Split(assignment);
            if (Fixed.TryGetValue(field, out var why)) throw new FormatException($"{field} cannot be changed: {why}");
            if (!shape.TryGetPropertyValue(field, out var current))
                throw new FormatException($"{field} is not a cluster setting (known: {string.Join(", ", shape.Select(p => p.Key).Where(k => !Fixed.ContainsKey(k)))})");
            document[field] = Value(field, value, current!);
        }

        var bytes = JsonSerializer.SerializeToUtf8Bytes(document);
        return KvJson.TryParse<ClusterConfig>(key, bytes, out var config, out var error)
            ? (document, config)
            : throw new FormatException($"the result is not a valid cluster config, nothing was written: {error.Reason}");
    }

    private static (string Field, string Value) Split(string assignment)
    {
        var equals = assignment.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0) throw new FormatException($"'{assignment}' is not KEY=VALUE (e.g. advert_int_seconds=2)");
        return (assignment[..equals].Trim(), assignment[(equals + 1)..]);
    }

    /// <summary>JSON when it parses as JSON, text otherwise; its kind must be the field's kind.</summary>
    private static JsonNode? Value(string field, string text, JsonNode current)
    {
        JsonNode? value;
        try
        {
            value = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            value = JsonValue.Create(text);
        }

        var expected = current.GetValueKind();
        var actual = value?.GetValueKind() ?? JsonValueKind.Null;
        if (actual == expected || (expected is JsonValueKind.True or JsonValueKind.False && actual is JsonValueKind.True or JsonValueKind.False)) return value;
        throw new FormatException(expected switch
        {
            JsonValueKind.Number => $"{field}: '{text}' is not a number",
            JsonValueKind.String => $"{field}: expected text, got '{text}'",
            JsonValueKind.Array => $"{field}: expected a JSON list, e.g. {current.ToJsonString()}",
            JsonValueKind.True or JsonValueKind.False => $"{field}: '{text}' is not true or false",
            _ => $"{field}: '{text}' does not have the shape of {current.ToJsonString()}",
        });
    }
}
