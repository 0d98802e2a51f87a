using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;

namespace HaManager.Cli.Switchover;

/// <summary>Waits on KV with blocking queries (no polling) until a key's record satisfies a condition.</summary>
public sealed class SwitchoverRecordWatch(IKvStore kv, KvKeys keys)
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(2);

    public Task<(KvEntry Entry, SwitchoverRecord Record)?> RecordAsync(Func<SwitchoverRecord, bool> done, TimeSpan timeout, CancellationToken cancellationToken) =>
        WaitAsync<SwitchoverRecord>(keys.Switchover, done, timeout, cancellationToken);

    public Task<(KvEntry Entry, PostgresMasterRecord Record)?> MasterAsync(Func<PostgresMasterRecord, bool> done, TimeSpan timeout, CancellationToken cancellationToken) =>
        WaitAsync<PostgresMasterRecord>(keys.PostgresMaster, done, timeout, cancellationToken);

    public async Task<(KvEntry Entry, SwitchoverRecord Record)?> CurrentAsync(CancellationToken cancellationToken)
    {
        var entry = (await kv.GetAsync(keys.Switchover, null, cancellationToken)).Value;
        return entry is not null && KvJson.TryParse<SwitchoverRecord>(entry, out var record, out _) ? (entry, record) : null;
    }

    /// <returns>Null when the condition did not hold within <paramref name="timeout"/>.</returns>
    private async Task<(KvEntry Entry, T Record)?> WaitAsync<T>(string key, Func<T, bool> done, TimeSpan timeout, CancellationToken cancellationToken)
        where T : class, IKvRecord
    {
        var deadline = DateTime.UtcNow + timeout;
        var index = new BlockingIndex();
        while (true)
        {
            var remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero) return null;
            var result = await kv.GetAsync(key, index.NextQuery(remaining < MaxWait ? remaining : MaxWait), cancellationToken);
            index.Advance(result.Index);
            if (result.Value is { } entry && KvJson.TryParse<T>(entry, out var record, out _) && done(record)) return (entry, record);
        }
    }
}
