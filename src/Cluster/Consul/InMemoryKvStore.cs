using System.Diagnostics;

namespace HaManager.Cluster.Consul;

/// <summary>
/// In-process IKvStore with Consul 1.8's KV semantics, for tests that need speed or a controllable outage:
/// one global index, CAS and idempotent writes like Consul, X-Consul-Index like Consul, and blocking reads.
/// Thread-safe. Tombstones of deleted keys are kept forever (Consul reaps them), so indexes never go backwards here.
/// </summary>
public sealed class InMemoryKvStore : IKvStore
{
    private const string AddressText = "memory://in-process";

    private readonly object _gate = new();
    private readonly Dictionary<string, KvEntry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ulong> _tombstones = new(StringComparer.Ordinal);
    // A fresh Consul already answers index 1 (never 0), so the first write must land above it or a reader
    // blocked on that 1 would never wake.
    private ulong _index = 1;
    private TaskCompletionSource _changed = NewSignal();
    private volatile bool _unavailable;

    /// <summary>While true every call throws ConsulUnavailableException, as if the agent were down.</summary>
    public bool Unavailable
    {
        get => _unavailable;
        set => _unavailable = value;
    }

    /// <summary>
    /// Called with the endpoint ("PUT /v1/kv/a/b") before each operation; a non-null exception is thrown instead of
    /// running it. Lets a test fail selected calls.
    /// </summary>
    public Func<string, Exception?>? FailureInjector { get; set; }

    /// <summary>Index of the last write that changed anything (Consul's KV table index).</summary>
    public ulong LastIndex
    {
        get
        {
            lock (_gate)
            {
                return _index;
            }
        }
    }

    public Task<QueryResult<KvEntry?>> GetAsync(string key, QueryOptions? options = null, CancellationToken ct = default)
    {
        KvKey.ValidateKey(key, nameof(key));
        ThrowIfFailing("GET /v1/kv/" + key);
        return QueryAsync(options, ct, () =>
        {
            // Like Consul: an existing key reports its own ModifyIndex, a missing one the table index.
            return _entries.TryGetValue(key, out var entry)
                ? (Copy(entry), entry.ModifyIndex)
                : ((KvEntry?)null, TableIndex());
        });
    }

    public Task<QueryResult<IReadOnlyList<KvEntry>>> ListAsync(string prefix, QueryOptions? options = null, CancellationToken ct = default)
    {
        KvKey.ValidatePrefix(prefix, nameof(prefix));
        ThrowIfFailing("GET /v1/kv/" + prefix);
        return QueryAsync(options, ct, () =>
        {
            var entries = _entries.Values
                .Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal))
                .OrderBy(e => e.Key, StringComparer.Ordinal)
                .Select(Copy)
                .ToList();
            return ((IReadOnlyList<KvEntry>)entries, PrefixIndex(prefix));
        });
    }

    public Task<bool> PutAsync(string key, byte[] value, ulong? cas = null, CancellationToken ct = default)
    {
        KvKey.ValidateKey(key, nameof(key));
        ArgumentNullException.ThrowIfNull(value);
        ct.ThrowIfCancellationRequested();
        ThrowIfFailing("PUT /v1/kv/" + key);
        lock (_gate)
        {
            var exists = _entries.TryGetValue(key, out var existing);
            if (cas is { } index && (index == 0 ? exists : !exists || existing!.ModifyIndex != index))
            {
                return Task.FromResult(false);
            }

            // Consul 1.8 skips writing an identical entry: ModifyIndex stays and blocked readers do not wake.
            if (exists && existing!.Value.AsSpan().SequenceEqual(value))
            {
                return Task.FromResult(true);
            }

            _index++;
            _entries[key] = existing is null
                ? new KvEntry(key, value.ToArray(), _index, _index, 0, 0, null)
                : existing with { Value = value.ToArray(), ModifyIndex = _index, Flags = 0 };
            _tombstones.Remove(key);
            Signal();
            return Task.FromResult(true);
        }
    }

    public Task<bool> DeleteAsync(string key, ulong? cas = null, CancellationToken ct = default)
    {
        KvKey.ValidateKey(key, nameof(key));
        ct.ThrowIfCancellationRequested();
        ThrowIfFailing("DELETE /v1/kv/" + key);
        lock (_gate)
        {
            if (!_entries.TryGetValue(key, out var existing))
            {
                // Consul treats deleting a missing key as done, CAS or not, and changes no index.
                return Task.FromResult(true);
            }

            if (cas is { } index && existing.ModifyIndex != index)
            {
                return Task.FromResult(false);
            }

            _index++;
            _entries.Remove(key);
            _tombstones[key] = _index;
            Signal();
            return Task.FromResult(true);
        }
    }

    public Task<bool> DeleteTreeAsync(string prefix, CancellationToken ct = default)
    {
        // Same guard as ConsulClient: an empty prefix would wipe everything.
        KvKey.ValidateKey(prefix, nameof(prefix));
        ct.ThrowIfCancellationRequested();
        ThrowIfFailing("DELETE /v1/kv/" + prefix);
        lock (_gate)
        {
            var doomed = _entries.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList();
            if (doomed.Count == 0)
            {
                return Task.FromResult(true);
            }

            _index++;
            foreach (var key in doomed)
            {
                _entries.Remove(key);
                _tombstones[key] = _index;
            }

            Signal();
            return Task.FromResult(true);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static KvEntry Copy(KvEntry entry) => entry with { Value = entry.Value.ToArray() };

    /// <summary>
    /// Consul's blocking-query loop: answer at once for WaitIndex 0 or when the index moved past it, otherwise wait
    /// for a write (any write: the index is recomputed, so unrelated writes re-block) or for WaitTime.
    /// </summary>
    private async Task<QueryResult<T>> QueryAsync<T>(QueryOptions? options, CancellationToken ct, Func<(T Value, ulong Index)> read)
    {
        options ??= QueryOptions.Default;
        ct.ThrowIfCancellationRequested();
        if (options.IsBlocking && options.WaitTime <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.WaitTime, "WaitTime must be positive for a blocking read.");
        }

        var clock = Stopwatch.StartNew();
        while (true)
        {
            (T Value, ulong Index) current;
            Task changed;
            lock (_gate)
            {
                current = read();
                changed = _changed.Task;
            }

            var remaining = options.WaitTime - clock.Elapsed;
            if (!options.IsBlocking || current.Index > options.WaitIndex || remaining <= TimeSpan.Zero)
            {
                return new QueryResult<T>(current.Value, current.Index, KnownLeader: true, LastContact: TimeSpan.Zero);
            }

            try
            {
                await changed.WaitAsync(remaining, ct).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Wait time is over; the next pass answers with the unchanged data and index.
            }
        }
    }

    // Callers hold _gate.
    private ulong TableIndex() => _index;

    // Callers hold _gate. Consul: highest ModifyIndex or tombstone under the prefix, else the table index.
    private ulong PrefixIndex(string prefix)
    {
        if (prefix.Length == 0)
        {
            return TableIndex();
        }

        ulong max = 0;
        foreach (var entry in _entries.Values)
        {
            if (entry.ModifyIndex > max && entry.Key.StartsWith(prefix, StringComparison.Ordinal))
            {
                max = entry.ModifyIndex;
            }
        }

        foreach (var (key, index) in _tombstones)
        {
            if (index > max && key.StartsWith(prefix, StringComparison.Ordinal))
            {
                max = index;
            }
        }

        return max == 0 ? TableIndex() : max;
    }

    // Callers hold _gate.
    private void Signal()
    {
        var previous = _changed;
        _changed = NewSignal();
        previous.TrySetResult();
    }

    private void ThrowIfFailing(string endpoint)
    {
        if (_unavailable)
        {
            throw new ConsulUnavailableException($"Consul at {AddressText} could not be reached for {endpoint}: simulated outage.", endpoint);
        }

        if (FailureInjector?.Invoke(endpoint) is { } failure)
        {
            throw failure;
        }
    }
}
