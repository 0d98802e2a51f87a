using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;

namespace HaManager.Cluster.Security;

/// <summary>
/// The cluster-wide secrets of Consul's own security: the CA (with its key) under <c>secrets/ca</c> and the gossip
/// key under <c>secrets/gossip</c>. Made once by the initializing node, read with the management token by whoever
/// creates join tokens. Node tokens are denied the CA (<see cref="ClusterAclPolicies.Node"/>).
/// </summary>
public sealed record ClusterTrust(PemCertificate CertificateAuthority, GossipKey GossipKey)
{
    /// <summary>
    /// Returns the stored CA and gossip key, generating and storing (CAS 0) whichever is missing: running init again
    /// keeps them, and two racing initializers end up with the same ones.
    /// </summary>
    public static async Task<ClusterTrust> EnsureAsync(IKvStore kv, KvKeys keys, DateTimeOffset now, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(kv);
        ArgumentNullException.ThrowIfNull(keys);
        var ca = await EnsureAsync(kv, keys.CertificateAuthority, () =>
        {
            using var created = Security.CertificateAuthority.Create(now);
            return created.Export();
        }, ct).ConfigureAwait(false);
        var gossip = await EnsureAsync(kv, keys.GossipKey, GossipKey.Generate, ct).ConfigureAwait(false);
        return new ClusterTrust(ca, gossip);
    }

    /// <exception cref="InvalidOperationException">A secret is missing: the cluster was initialized without them.</exception>
    /// <exception cref="KvValueException">A secret is stored but unusable.</exception>
    public static async Task<ClusterTrust> ReadAsync(IKvStore kv, KvKeys keys, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(kv);
        ArgumentNullException.ThrowIfNull(keys);
        var ca = await ReadAsync<PemCertificate>(kv, keys.CertificateAuthority, ct).ConfigureAwait(false);
        var gossip = await ReadAsync<GossipKey>(kv, keys.GossipKey, ct).ConfigureAwait(false);
        return new ClusterTrust(
            ca ?? throw Missing(keys.CertificateAuthority),
            gossip ?? throw Missing(keys.GossipKey));
    }

    private static async Task<T> EnsureAsync<T>(IKvStore kv, string key, Func<T> create, CancellationToken ct) where T : class, Model.IKvRecord
    {
        if (await ReadAsync<T>(kv, key, ct).ConfigureAwait(false) is { } existing)
        {
            return existing;
        }

        var fresh = create();
        if (await kv.PutAsync(key, KvJson.Serialize(fresh), 0, ct).ConfigureAwait(false))
        {
            return fresh;
        }

        // Another initializer stored its own first: use that one, or nodes would disagree.
        return await ReadAsync<T>(kv, key, ct).ConfigureAwait(false) ?? throw Missing(key);
    }

    private static async Task<T?> ReadAsync<T>(IKvStore kv, string key, CancellationToken ct) where T : class, Model.IKvRecord
    {
        var entry = (await kv.GetAsync(key, null, ct).ConfigureAwait(false)).Value;
        return entry is null ? null : KvJson.Parse<T>(entry);
    }

    private static InvalidOperationException Missing(string key) =>
        new($"'{key}' is missing: the cluster was initialized without Consul TLS and gossip encryption; run `hamanager bootstrap` on the first node again");
}
