namespace HaManager.Cluster.Consul;

/// <summary>
/// A compare-and-set kept losing because others kept changing the key. Transient, like Consul being
/// away: whoever queued the write keeps it and tries again later; it is never a reason to drop it.
/// </summary>
public sealed class KvContentionException(string key, int attempts)
    : ConsulException($"could not update '{key}': it kept changing during {attempts} compare-and-set attempts; will try again", $"PUT /v1/kv/{key}")
{
    public string Key { get; } = key;
}
