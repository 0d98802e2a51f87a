namespace HaManager.Cluster.Consul;

/// <summary>The slice of Consul's KV store the product depends on; ConsulClient and InMemoryKvStore implement it.</summary>
public interface IKvStore
{
    /// <summary>Null value when the key does not exist; Index is still meaningful for blocking on its creation.</summary>
    Task<QueryResult<KvEntry?>> GetAsync(string key, QueryOptions? options = null, CancellationToken ct = default);

    /// <summary>Every entry whose key starts with <paramref name="prefix"/>, sorted by key; empty (never null) when none.</summary>
    Task<QueryResult<IReadOnlyList<KvEntry>>> ListAsync(string prefix, QueryOptions? options = null, CancellationToken ct = default);

    /// <summary>
    /// Only the key names under <paramref name="prefix"/>, sorted: far less to transfer than the values, for readers that
    /// then fetch a few of them (the newest transitions). Consul answers it natively; this default lists the values and
    /// ignores <paramref name="separator"/>, which is enough for in-process stores.
    /// </summary>
    async Task<QueryResult<IReadOnlyList<string>>> KeysAsync(string prefix, string? separator = null, QueryOptions? options = null, CancellationToken ct = default)
    {
        var listed = await ListAsync(prefix, options, ct).ConfigureAwait(false);
        return new QueryResult<IReadOnlyList<string>>(listed.Value.Select(e => e.Key).ToList(), listed.Index, listed.KnownLeader, listed.LastContact);
    }

    /// <summary>cas = 0 creates only; cas = N writes only if ModifyIndex is N. Returns false when the CAS check lost.</summary>
    Task<bool> PutAsync(string key, byte[] value, ulong? cas = null, CancellationToken ct = default);

    /// <summary>With cas, deletes only if ModifyIndex matches (a missing key counts as deleted: true).</summary>
    Task<bool> DeleteAsync(string key, ulong? cas = null, CancellationToken ct = default);

    /// <summary>Deletes every key starting with <paramref name="prefix"/>; the prefix must not be empty.</summary>
    Task<bool> DeleteTreeAsync(string prefix, CancellationToken ct = default);
}
