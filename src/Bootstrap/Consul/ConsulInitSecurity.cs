using System.Net;
using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Cluster.Security;
using HaManager.Cluster.Settings;
using HaManager.Watchers.Files;

namespace HaManager.Bootstrap.Consul;

/// <summary>
/// The secured cluster's first node: its credentials before Consul starts (a new CA, gossip key, server certificate
/// and pre-chosen token SecretIDs), then, once Consul has a leader, the ACL system bootstrapped, the CA and gossip key
/// stored in KV for later join tokens, and the policies and tokens created with those SecretIDs. Every step checks
/// what is there first, so a re-run (or a run after a crash midway) converges.
/// </summary>
public sealed class ConsulInitSecurity(ConsulOptions consul, KvKeys keys, NodeName node, IPAddress address, BootstrapProgress progress)
{
    private readonly ConsulSecretFiles _files = ConsulSecretFiles.Of(consul);

    /// <summary>The node's credentials, made now when this node has none yet.</summary>
    public async Task<(ConsulCredentials Credentials, string Summary)> PrepareAsync(CancellationToken cancellationToken)
    {
        if (ConsulCredentials.Load(_files) is { } existing) return (existing, $"kept ({_files.Directory})");

        var now = DateTimeOffset.UtcNow;
        using var ca = CertificateAuthority.Create(now);
        ConsulCredentials.PrepareDirectory(_files.Directory);
        // The CA key exists nowhere else until it is in KV: keep it (0600) so a crash before that does not lose it.
        await AtomicFile.WriteAsync(_files.PendingCertificateAuthority, KvJson.Serialize(ca.Export()), AtomicFile.PrivateMode, cancellationToken: cancellationToken);
        if (ConsulSecretFiles.ReadToken(_files.OperatorToken) is null)
            await AtomicFile.WriteAsync(_files.OperatorToken, NewSecretId() + "\n", AtomicFile.PrivateMode, cancellationToken: cancellationToken);
        var credentials = new ConsulCredentials(GossipKey.Generate(), NewSecretId(), NewSecretId());
        await credentials.WriteAsync(_files, ca.CertificatePem, ca.IssueServer(node, address, consul.Datacenter, now), cancellationToken);
        return (credentials, $"new cluster CA ({ca.PublicKeyPin[..12]}…), gossip key and tokens in {_files.Directory}");
    }

    /// <summary>After Consul has a leader: returns the management token.</summary>
    public async Task<string> SecureAsync(ConsulClientOptions local, ConsulCredentials credentials, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var management = await BootstrapAclsAsync(local, timeout, cancellationToken);
        using var client = new ConsulClient(local with { Token = management });

        progress.Step($"Storing the cluster CA and gossip key under {keys.SecretsPrefix}");
        progress.Result(await StoreTrustAsync(client, credentials, cancellationToken));

        progress.Step("Creating the ACL policies and tokens (node, operations, read-only operator)");
        await client.AclPolicyUpsertAsync(ClusterAclPolicies.Node(keys, node), cancellationToken);
        await client.AclPolicyUpsertAsync(ClusterAclPolicies.Admin(keys), cancellationToken);
        await client.AclPolicyUpsertAsync(ClusterAclPolicies.Operator(keys), cancellationToken);
        var created = 0;
        created += await EnsureTokenAsync(client, credentials.NodeToken, $"hamanager node {node}", ClusterAclPolicies.NodePolicyName(node), cancellationToken);
        created += await EnsureTokenAsync(client, credentials.AdminToken, $"hamanager operations on node {node}", ClusterAclPolicies.AdminPolicyName, cancellationToken);
        var operatorToken = ConsulSecretFiles.ReadToken(_files.OperatorToken)
            ?? throw new BootstrapException($"{_files.OperatorToken} is missing; it is made at the first bootstrap of this node");
        created += await EnsureTokenAsync(client, operatorToken, "hamanager operator (read-only: status, history)", ClusterAclPolicies.OperatorPolicyName, cancellationToken);
        progress.Result(created == 0 ? "already in place" : $"{created} token(s) created; the read-only operator token is in {_files.OperatorToken}");
        return management;
    }

    private async Task<string> BootstrapAclsAsync(ConsulClientOptions local, TimeSpan timeout, CancellationToken cancellationToken)
    {
        progress.Step("Bootstrapping Consul's ACL system (default deny)");
        using var anonymous = new ConsulClient(local with { Token = null });
        var deadline = DateTime.UtcNow + timeout;
        AclToken? token;
        while (true)
        {
            try
            {
                token = await anonymous.AclBootstrapAsync(cancellationToken);
                break;
            }
            catch (ConsulUnavailableException e) when (DateTime.UtcNow < deadline)
            {
                // Right after the election Consul answers 500 until its ACL system is up.
                _ = e;
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            }
        }

        if (token is null)
        {
            var stored = ConsulSecretFiles.ReadToken(_files.ManagementToken)
                ?? throw new BootstrapException($"Consul's ACL system was bootstrapped before, and its management token is not in {_files.ManagementToken}; " +
                    "put it there (0600) or pass it in CONSUL_HTTP_TOKEN, then re-run");
            progress.Result($"already bootstrapped; using the management token in {_files.ManagementToken}");
            return stored;
        }

        // Stored before it is shown: a bootstrap killed right after would otherwise leave nobody holding it.
        await AtomicFile.WriteAsync(_files.ManagementToken, token.SecretId + "\n", AtomicFile.PrivateMode, cancellationToken: cancellationToken);
        progress.Result($"done. The management token is stored in {_files.ManagementToken} (root only) and shown here once:\n" +
            $"    {token.SecretId}\n" +
            "    It can do anything in this cluster: keep a copy in your password store, and never put it in a settings file.");
        return token.SecretId;
    }

    private async Task<string> StoreTrustAsync(ConsulClient client, ConsulCredentials credentials, CancellationToken cancellationToken)
    {
        var notes = new List<string>();
        if (File.Exists(_files.PendingCertificateAuthority))
        {
            if (!KvJson.TryParse<PemCertificate>(_files.PendingCertificateAuthority, await File.ReadAllBytesAsync(_files.PendingCertificateAuthority, cancellationToken), out var pending, out var error))
                throw new BootstrapException($"{_files.PendingCertificateAuthority} is damaged ({error}); remove {_files.Directory} and the Consul data directory, then initialize again");
            if (!await client.PutAsync(keys.CertificateAuthority, KvJson.Serialize(pending), 0, cancellationToken))
            {
                var stored = KvJson.Parse<PemCertificate>((await client.GetAsync(keys.CertificateAuthority, null, cancellationToken)).Value
                    ?? throw new BootstrapException($"'{keys.CertificateAuthority}' vanished while it was being written; re-run bootstrap"));
                if (stored.CertificatePem != pending.CertificatePem)
                    throw new BootstrapException($"'{keys.CertificateAuthority}' holds another CA than this node's {_files.CaCertificate}: this Consul data directory belongs to another cluster");
            }

            File.Delete(_files.PendingCertificateAuthority);
            notes.Add("CA stored");
        }

        if (!await client.PutAsync(keys.GossipKey, KvJson.Serialize(credentials.GossipKey), 0, cancellationToken))
        {
            var stored = KvJson.Parse<GossipKey>((await client.GetAsync(keys.GossipKey, null, cancellationToken)).Value
                ?? throw new BootstrapException($"'{keys.GossipKey}' vanished while it was being written; re-run bootstrap"));
            if (stored.Key != credentials.GossipKey.Key) throw new BootstrapException($"'{keys.GossipKey}' differs from this node's gossip key");
            notes.Add("gossip key already stored");
        }
        else
        {
            notes.Add("gossip key stored");
        }

        return string.Join(", ", notes);
    }

    /// <returns>1 when the token was created now, 0 when it existed.</returns>
    private static async Task<int> EnsureTokenAsync(ConsulClient client, string secretId, string description, string policy, CancellationToken cancellationToken)
    {
        try
        {
            await client.AclTokenCreateAsync(new AclTokenRequest { Description = description, PolicyNames = [policy], SecretId = secretId }, cancellationToken);
            return 1;
        }
        // A follower forwards the request to the leader and reports its answer as a 500 "rpc error making call: Invalid
        // Token: SecretID is already in use", which is not recognizable as a request error: match the words.
        catch (ConsulException e) when (e.Message.Contains("already in use", StringComparison.OrdinalIgnoreCase))
        {
            return 0;
        }
    }

    private static string NewSecretId() => Guid.NewGuid().ToString();
}
