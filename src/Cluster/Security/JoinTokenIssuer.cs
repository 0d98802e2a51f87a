using System.Net;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Model;

namespace HaManager.Cluster.Security;

/// <summary>
/// `hamanager join-token create` and its clean-up, with a management token: for one named node it makes that
/// node's ACL policy and token, its server certificate, and a join token whose derived ACL token (expiring with
/// it, allowed only its own record) unlocks the sealed payload. See docs/security.md.
/// </summary>
public sealed class JoinTokenIssuer(ConsulClient consul, KvKeys keys, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly JoinTokenStore _store = new(consul, keys, time);

    /// <returns>The join token: show it once (<see cref="JoinSecret.Reveal"/>), never log it.</returns>
    public async Task<JoinSecret> CreateAsync(NodeName node, IPAddress address, string datacenter, TimeSpan ttl, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        ConsulNames.ValidateDatacenter(datacenter, nameof(datacenter));
        if (ttl < JoinTokenStore.MinimumTtl || ttl > JoinTokenStore.MaximumTtl)
        {
            throw new ArgumentOutOfRangeException(nameof(ttl), ttl, $"a join token lives between {JoinTokenStore.MinimumTtl.TotalMinutes:0} minute and {JoinTokenStore.MaximumTtl.TotalHours:0} hours");
        }

        var trust = await ClusterTrust.ReadAsync(consul, keys, ct).ConfigureAwait(false);
        using var ca = CertificateAuthority.Load(trust.CertificateAuthority);
        var secret = JoinSecret.Create(ca.PublicKeyPin);
        var created = new List<string>();
        string? joinPolicyId = null;
        try
        {
            await consul.AclPolicyUpsertAsync(ClusterAclPolicies.Node(keys, node), ct).ConfigureAwait(false);
            var nodeToken = await consul.AclTokenCreateAsync(new AclTokenRequest
            {
                Description = $"hamanager node {node}",
                PolicyNames = [ClusterAclPolicies.NodePolicyName(node)],
            }, ct).ConfigureAwait(false);
            created.Add(nodeToken.AccessorId);
            await consul.AclPolicyUpsertAsync(ClusterAclPolicies.Admin(keys), ct).ConfigureAwait(false);
            var adminToken = await consul.AclTokenCreateAsync(new AclTokenRequest
            {
                Description = $"hamanager operations on node {node}",
                PolicyNames = [ClusterAclPolicies.AdminPolicyName],
            }, ct).ConfigureAwait(false);
            created.Add(adminToken.AccessorId);

            joinPolicyId = (await consul.AclPolicyCreateAsync(ClusterAclPolicies.Join(keys, secret.Id), ct).ConfigureAwait(false)).Id;
            var joinToken = await consul.AclTokenCreateAsync(new AclTokenRequest
            {
                Description = $"hamanager join token {secret.Id} for node {node}",
                PolicyNames = [ClusterAclPolicies.JoinPolicyName(secret.Id)],
                ExpirationTtl = ttl,
                SecretId = secret.ConsulTokenSecretId,
            }, ct).ConfigureAwait(false);
            created.Add(joinToken.AccessorId);

            var payload = new JoinPayload
            {
                Node = node,
                Address = address,
                Datacenter = datacenter,
                GossipKey = trust.GossipKey,
                CaCertificatePem = ca.CertificatePem,
                ServerCertificate = ca.IssueServer(node, address, datacenter, _time.GetUtcNow()),
                NodeAclToken = nodeToken.SecretId,
                AdminAclToken = adminToken.SecretId,
            };
            await _store.CreateAsync(secret, payload, ttl, joinToken.AccessorId, nodeToken.AccessorId, ct).ConfigureAwait(false);
            return secret;
        }
        catch
        {
            // A half-made join token must not leave a node token nobody will ever receive. If Consul is the reason we
            // are here, the clean-up fails too; the original error is the one worth reporting.
            try
            {
                await RevokeAsync(joinPolicyId, created, CancellationToken.None).ConfigureAwait(false);
            }
            catch (ConsulException)
            {
            }

            throw;
        }
    }

    /// <summary>Removes used, expired and damaged join tokens with their ACL policy and tokens; returns what went.</summary>
    public async Task<IReadOnlyList<SweptJoinToken>> SweepAsync(CancellationToken ct = default)
    {
        var swept = await _store.SweepAsync(ct).ConfigureAwait(false);
        foreach (var token in swept)
        {
            var policy = await consul.AclPolicyReadByNameAsync(ClusterAclPolicies.JoinPolicyName(token.Id), ct).ConfigureAwait(false);
            await RevokeAsync(policy?.Id, [token.JoinTokenAccessor, token.NodeTokenAccessor], ct).ConfigureAwait(false);
        }

        return swept;
    }

    private async Task RevokeAsync(string? policyId, IEnumerable<string?> tokenAccessors, CancellationToken ct)
    {
        foreach (var accessor in tokenAccessors.OfType<string>())
        {
            await consul.AclTokenDeleteAsync(accessor, ct).ConfigureAwait(false);
        }

        if (policyId is not null)
        {
            await consul.AclPolicyDeleteAsync(policyId, ct).ConfigureAwait(false);
        }
    }
}
