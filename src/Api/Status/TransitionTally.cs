using HaManager.Cluster.History;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;

namespace HaManager.Api.Status;

/// <summary>
/// Counts every transition once for `/metrics`' hamanager_transitions_total, reading only the values it has not
/// seen yet (the key names tell which): a long-running watcher does not re-read the whole history every few
/// seconds. A transition pruned from KV keeps its count, so the counter never goes down.
/// </summary>
public sealed class TransitionTally
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Service, string From, string To), int> _counts = [];
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<IReadOnlyList<TransitionCount>> CountAsync(TransitionHistory history, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var names = await history.KeyNamesAsync(cancellationToken);
            _seen.IntersectWith(names.Select(n => n.Key));
            var unseen = names.Select(n => n.Key).Where(k => !_seen.Contains(k)).ToList();
            foreach (var entry in await history.GetAllAsync(unseen, cancellationToken))
            {
                _seen.Add(entry.Key);
                if (!KvJson.TryParse<Transition>(entry, out var transition, out _)) continue;
                var key = (transition.Service, transition.From, transition.To);
                _counts[key] = _counts.GetValueOrDefault(key) + 1;
            }

            return _counts.Select(c => new TransitionCount(c.Key.Service, c.Key.From, c.Key.To, c.Value)).ToList();
        }
        finally
        {
            _gate.Release();
        }
    }
}
