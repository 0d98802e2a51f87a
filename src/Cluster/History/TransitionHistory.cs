using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;

namespace HaManager.Cluster.History;

/// <summary>
/// Reads the transition history without reading all of it: the key names first (they sort by time and say the
/// node and service), then only the values of the newest candidates, batch by batch until the limit is met.
/// </summary>
public sealed class TransitionHistory(IKvStore kv, KvKeys keys, QueryOptions? read = null)
{
    private const int ParallelReads = 8;
    /// <summary>Above this many keys one read of the whole prefix is cheaper than a read per key (a watcher's first count).</summary>
    private const int BulkThreshold = 64;

    /// <summary>Every transition key name, oldest first; names that are not a transition's are left out.</summary>
    public async Task<IReadOnlyList<TransitionKeyName>> KeyNamesAsync(CancellationToken cancellationToken) =>
        (await kv.KeysAsync(keys.TransitionsPrefix, null, read, cancellationToken)).Value
            .Select(k => TransitionKeyName.TryParse(k, keys))
            .OfType<TransitionKeyName>()
            .OrderBy(n => n.Key, StringComparer.Ordinal)
            .ToList();

    /// <returns>The newest matching transitions, oldest first, and the invalid values met on the way.</returns>
    public async Task<TransitionPage> ReadAsync(TransitionQuery query, CancellationToken cancellationToken)
    {
        var candidates = (await KeyNamesAsync(cancellationToken)).Where(n => n.MayMatch(query)).ToList();
        var found = new List<Transition>();
        var invalid = new List<KvValueError>();
        var end = candidates.Count;
        while (end > 0 && found.Count < query.Limit)
        {
            var start = Math.Max(0, end - (query.Limit - found.Count));
            var entries = await GetAllAsync(candidates[start..end].Select(n => n.Key).ToList(), cancellationToken);
            foreach (var entry in entries.Reverse())
            {
                if (!KvJson.TryParse<Transition>(entry, out var transition, out var error)) invalid.Add(error);
                else if (query.Matches(transition) && found.Count < query.Limit) found.Add(transition);
            }

            end = start;
        }

        found.Reverse();
        return new TransitionPage(found, invalid);
    }

    /// <summary>The values of the given keys, in the same order; a key deleted in the meantime is left out.</summary>
    public async Task<IReadOnlyList<KvEntry>> GetAllAsync(IReadOnlyList<string> keyNames, CancellationToken cancellationToken)
    {
        if (keyNames.Count > BulkThreshold)
        {
            var wanted = keyNames.ToHashSet(StringComparer.Ordinal);
            var all = (await kv.ListAsync(keys.TransitionsPrefix, read, cancellationToken)).Value.Where(e => wanted.Contains(e.Key)).ToDictionary(e => e.Key, StringComparer.Ordinal);
            return keyNames.Where(all.ContainsKey).Select(k => all[k]).ToList();
        }

        var entries = new KvEntry?[keyNames.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, keyNames.Count),
            new ParallelOptions { MaxDegreeOfParallelism = ParallelReads, CancellationToken = cancellationToken },
            async (i, token) => entries[i] = (await kv.GetAsync(keyNames[i], read, token)).Value);
        return entries.OfType<KvEntry>().ToList();
    }
}

/// <param name="Transitions">Oldest first.</param>
/// <param name="Invalid">Values that did not parse or validate (reported, never shown as transitions).</param>
public sealed record TransitionPage(IReadOnlyList<Transition> Transitions, IReadOnlyList<KvValueError> Invalid);
