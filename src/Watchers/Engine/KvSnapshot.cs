using HaManager.Cluster;
using HaManager.Cluster.Consul;

namespace HaManager.Watchers.Engine;

/// <summary>One consistent-enough view of the watched keys, handed to every watcher's Render.</summary>
public sealed class KvSnapshot(KvKeys keys, IReadOnlyDictionary<string, KvEntry> entries)
{
    public KvKeys Keys { get; } = keys;

    public KvEntry? Get(string key) => entries.GetValueOrDefault(key);

    public IReadOnlyList<KvEntry> Under(string prefix) =>
        entries.Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(e => e.Value).OrderBy(e => e.Key, StringComparer.Ordinal).ToArray();

    public static async Task<KvSnapshot> ReadAsync(IKvStore kv, KvKeys keys, IEnumerable<string> prefixes, CancellationToken cancellationToken)
    {
        var entries = new Dictionary<string, KvEntry>(StringComparer.Ordinal);
        foreach (var prefix in prefixes.Distinct())
        {
            var result = await kv.ListAsync(prefix, new QueryOptions(), cancellationToken);
            foreach (var entry in result.Value) entries[entry.Key] = entry;
        }

        return new KvSnapshot(keys, entries);
    }
}
