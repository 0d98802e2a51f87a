using HaManager.Cluster.Consul;

namespace HaManager.Tests.Notify;

/// <summary>
/// An in-memory KV store where, before each of the next <see cref="LosingCasWrites"/> compare-and-set
/// writes to <see cref="ContendedKey"/>, another writer changes that key first: each such CAS loses.
/// </summary>
internal sealed class ContendedKvStore(InMemoryKvStore inner, string contendedKey) : IKvStore
{
    public string ContendedKey { get; } = contendedKey;
    public int LosingCasWrites { get; set; }

    public Task<QueryResult<KvEntry?>> GetAsync(string key, QueryOptions? options = null, CancellationToken ct = default) => inner.GetAsync(key, options, ct);

    public Task<QueryResult<IReadOnlyList<KvEntry>>> ListAsync(string prefix, QueryOptions? options = null, CancellationToken ct = default) => inner.ListAsync(prefix, options, ct);

    public async Task<bool> PutAsync(string key, byte[] value, ulong? cas = null, CancellationToken ct = default)
    {
        if (key == ContendedKey && cas is > 0 && LosingCasWrites > 0)
        {
            LosingCasWrites--;
            var current = (await inner.GetAsync(key, null, ct)).Value;
            // The other writer: the same record with one more trailing space, so the key really changes (a new ModifyIndex).
            if (current is not null) await inner.PutAsync(key, [.. current.Value, (byte)' '], null, ct);
        }

        return await inner.PutAsync(key, value, cas, ct);
    }

    public Task<bool> DeleteAsync(string key, ulong? cas = null, CancellationToken ct = default) => inner.DeleteAsync(key, cas, ct);

    public Task<bool> DeleteTreeAsync(string prefix, CancellationToken ct = default) => inner.DeleteTreeAsync(prefix, ct);
}
