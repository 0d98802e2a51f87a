using HaManager.Cluster.Consul;

namespace HaManager.Tests.Notify;

/// <summary>A KV store whose every call waits until cancelled, like a Consul with no Raft leader.</summary>
internal sealed class HangingKvStore : IKvStore
{
    public async Task<QueryResult<KvEntry?>> GetAsync(string key, QueryOptions? options = null, CancellationToken ct = default)
    {
        await Task.Delay(Timeout.Infinite, ct);
        throw new InvalidOperationException("unreachable");
    }

    public async Task<QueryResult<IReadOnlyList<KvEntry>>> ListAsync(string prefix, QueryOptions? options = null, CancellationToken ct = default)
    {
        await Task.Delay(Timeout.Infinite, ct);
        throw new InvalidOperationException("unreachable");
    }

    public async Task<bool> PutAsync(string key, byte[] value, ulong? cas = null, CancellationToken ct = default)
    {
        await Task.Delay(Timeout.Infinite, ct);
        return false;
    }

    public async Task<bool> DeleteAsync(string key, ulong? cas = null, CancellationToken ct = default)
    {
        await Task.Delay(Timeout.Infinite, ct);
        return false;
    }

    public async Task<bool> DeleteTreeAsync(string prefix, CancellationToken ct = default)
    {
        await Task.Delay(Timeout.Infinite, ct);
        return false;
    }
}
