using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;

namespace HaManager.Watchers.Engine;

/// <summary>One consistent-enough view of the watched keys, handed to every watcher's Render.</summary>
public sealed class KvSnapshot(KvKeys keys, IReadOnlyDictionary<string, KvEntry> entries)
{
    public KvKeys Keys { get; } = keys;

    public KvEntry? Get(string key) => entries.GetValueOrDefault(key);

    public IReadOnlyList<KvEntry> Under(string prefix) =>
        entries.Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(e => e.Value).OrderBy(e => e.Key, StringComparer.Ordinal).ToArray();

    /// <summary>The record at <paramref name="key"/>: null when absent; an invalid value adds an error and yields null.</summary>
    public T? Parse<T>(string key, List<KvValueError> errors) where T : class, IKvRecord
    {
        var entry = Get(key);
        if (entry is null) return null;
        if (KvJson.TryParse<T>(entry, out var record, out var error)) return record;
        errors.Add(error);
        return null;
    }

    /// <summary>Every record under a per-node prefix, by node name; bad names and bad values become errors.</summary>
    public Dictionary<string, T> ParseNodes<T>(string prefix, List<KvValueError> errors) where T : class, IKvRecord
    {
        var records = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var entry in Under(prefix))
        {
            var name = KvKeys.LastSegment(entry.Key, prefix);
            if (!NodeName.TryParse(name, out _, out var nameError)) errors.Add(new KvValueError(entry.Key, $"the key does not end in a valid node name: {nameError}"));
            else if (KvJson.TryParse<T>(entry, out var record, out var error)) records[name] = record;
            else errors.Add(error);
        }

        return records;
    }

    /// <summary>The registered nodes; a record that names a different node than its key is an error.</summary>
    public Dictionary<string, NodeRecord> ParseRegisteredNodes(List<KvValueError> errors)
    {
        var nodes = ParseNodes<NodeRecord>(Keys.NodesPrefix, errors);
        foreach (var (name, node) in nodes.ToList())
        {
            if (node.Name.Value == name) continue;
            errors.Add(new KvValueError(Keys.NodesPrefix + name, $"the record names node '{node.Name}', not '{name}'"));
            nodes.Remove(name);
        }

        return nodes;
    }

    /// <summary>One read of each prefix; an invalid value is left out (a one-shot reader has no last-known-good value to use instead).</summary>
    public static async Task<KvSnapshot> ReadAsync(IKvStore kv, KvKeys keys, IEnumerable<string> prefixes, CancellationToken cancellationToken)
    {
        var catalog = new KvRecordCatalog(keys);
        var entries = new Dictionary<string, KvEntry>(StringComparer.Ordinal);
        foreach (var prefix in prefixes.Distinct())
        {
            var result = await kv.ListAsync(prefix, new QueryOptions(), cancellationToken);
            foreach (var entry in result.Value.Where(e => catalog.Validate(e) is null)) entries[entry.Key] = entry;
        }

        return new KvSnapshot(keys, entries);
    }
}
