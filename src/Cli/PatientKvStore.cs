using HaManager.Cluster.Consul;

namespace HaManager.Cli;

/// <summary>
/// KV for commands that change the cluster: a read Consul does not answer is asked again, a few times. Right after a
/// Consul server dies silently (the very moment an operator runs `node remove` or a switchover), a request forwarded to
/// the dead Raft leader can hang on its connection until it times out, although the survivors elect a new leader within
/// seconds; the next request goes to the new one. Reads only: a write that timed out may have been applied, so
/// repeating it is the caller's decision (theirs use compare-and-set).
/// </summary>
public sealed class PatientKvStore(IKvStore inner, Action<string> notice, int attempts = PatientKvStore.DefaultAttempts) : IKvStore
{
    public const int DefaultAttempts = 3;

    public Task<QueryResult<KvEntry?>> GetAsync(string key, QueryOptions? options = null, CancellationToken ct = default) =>
        ReadAsync(() => inner.GetAsync(key, options, ct), ct);

    public Task<QueryResult<IReadOnlyList<KvEntry>>> ListAsync(string prefix, QueryOptions? options = null, CancellationToken ct = default) =>
        ReadAsync(() => inner.ListAsync(prefix, options, ct), ct);

    public Task<QueryResult<IReadOnlyList<string>>> KeysAsync(string prefix, string? separator = null, QueryOptions? options = null, CancellationToken ct = default) =>
        ReadAsync(() => inner.KeysAsync(prefix, separator, options, ct), ct);

    public Task<bool> PutAsync(string key, byte[] value, ulong? cas = null, CancellationToken ct = default) => inner.PutAsync(key, value, cas, ct);

    public Task<bool> DeleteAsync(string key, ulong? cas = null, CancellationToken ct = default) => inner.DeleteAsync(key, cas, ct);

    public Task<bool> DeleteTreeAsync(string prefix, CancellationToken ct = default) => inner.DeleteTreeAsync(prefix, ct);

    private async Task<T> ReadAsync<T>(Func<Task<T>> read, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await read();
            }
            catch (ConsulUnavailableException e) when (attempt < attempts && !ct.IsCancellationRequested)
            {
                notice($"{e.Message} Asking again ({attempt + 1} of {attempts}): a Consul server may have just died and the others be electing a new leader.");
                await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
            }
        }
    }
}
