using System.Net;
using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Cluster.Security;
using HaManager.Cluster.Settings;

namespace HaManager.Bootstrap.Consul;

/// <summary>
/// A joining node's first contact: over HTTPS to a member, trusting only the CA whose key is pinned in the join
/// token, authenticated by the token's derived ACL token. It checks the member has a leader and the cluster's
/// virtual IP, that the token was made for this node and address, and only then redeems it (once) and writes the
/// credentials. Any refusal leaves this node as it was.
/// </summary>
public sealed class JoinRedemption(ConsulOptions consul, KvKeys keys, NodeName node, IPAddress address, BootstrapProgress progress)
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ProbeWindow = TimeSpan.FromSeconds(15);

    /// <exception cref="BootstrapException">The file cannot be read or does not hold a join token (invalid input).</exception>
    public static JoinSecret ReadSecret(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BootstrapException($"--join-token-file {path}: {e.Message}", invalidInput: true);
        }

        return JoinSecret.TryParse(text, out var secret, out var error)
            ? secret
            : throw new BootstrapException($"--join-token-file {path}: {error}", invalidInput: true);
    }

    public async Task<(ConsulCredentials Credentials, Cidr VirtualIp)> RedeemAsync(
        IReadOnlyList<Uri> members, JoinSecret secret, Cidr? requestedVip, IProgress<string> report, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + ProbeWindow;
        var failures = new Dictionary<string, string>(StringComparer.Ordinal);
        while (true)
        {
            foreach (var uri in members)
            {
                using var remote = new ConsulClient(new ConsulClientOptions
                {
                    Address = uri,
                    Token = secret.ConsulTokenSecretId,
                    RequestTimeout = ProbeTimeout,
                    Tls = new ConsulTlsOptions { CaPublicKeyPin = secret.CaPin },
                });
                try
                {
                    if (await remote.StatusLeaderAsync(cancellationToken) is not { } leader)
                    {
                        failures[uri.Authority] = "Consul answers but has no leader";
                        continue;
                    }

                    var vip = await ReadVirtualIpAsync(remote, uri, requestedVip, cancellationToken);
                    await CheckRecordAsync(remote, secret, cancellationToken);
                    var payload = await new JoinTokenStore(remote, keys).RedeemAsync(secret, cancellationToken);
                    if (!payload.Node.Equals(node) || !payload.Address.Equals(address))
                        throw new BootstrapException($"the join token's payload is for {payload.Node} ({payload.Address}), not {node} ({address})");
                    var credentials = new ConsulCredentials(payload.GossipKey, payload.NodeAclToken, payload.AdminAclToken ?? payload.NodeAclToken);
                    await credentials.WriteAsync(ConsulSecretFiles.Of(consul), payload.CaCertificatePem, payload.ServerCertificate, cancellationToken);
                    progress.Result($"{uri.Authority} answered (leader {leader}, virtual IP {vip}); join token {secret.Id} redeemed: " +
                        $"gossip key, TLS certificate and ACL tokens written to {consul.SecretsDir}");
                    return (credentials, vip);
                }
                catch (ConsulTlsException e)
                {
                    throw new BootstrapException($"{uri.Authority} is not the cluster this join token was made for (its TLS certificate does not chain to the pinned CA: {e.Message}); " +
                        "nothing was changed on this node");
                }
                catch (JoinTokenException e)
                {
                    throw new BootstrapException($"{uri.Authority} refused the join token: {e.Message}; nothing was changed on this node", invalidInput: true);
                }
                catch (ConsulException e) when (e.StatusCode == 403)
                {
                    throw new BootstrapException($"{uri.Authority} refused join token {secret.Id}: it has expired, was revoked or already used, or was never made in this cluster. " +
                        $"Create a new one on a member: hamanager join-token create --node {node} --address {address}; nothing was changed on this node", invalidInput: true);
                }
                catch (ConsulException e)
                {
                    failures[uri.Authority] = e.Message;
                }
            }

            report.Report(string.Join("; ", failures.Select(f => $"{f.Key}: {f.Value}")) +
                $"; retrying for {Math.Max(0, (deadline - DateTime.UtcNow).TotalSeconds):0} s");
            if (DateTime.UtcNow >= deadline)
                throw new BootstrapException($"could not reach a cluster member within {ProbeWindow.TotalSeconds:0} s; nothing was changed on this node:\n  " +
                    string.Join("\n  ", failures.Select(f => $"{f.Key}: {f.Value}")));
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    private async Task<Cidr> ReadVirtualIpAsync(ConsulClient remote, Uri uri, Cidr? requestedVip, CancellationToken cancellationToken)
    {
        var entry = (await remote.GetAsync(keys.Config, null, cancellationToken)).Value
            ?? throw new BootstrapException($"the cluster at {uri.Authority} has no HaManager config at '{keys.Config}'; initialize the first node with `hamanager bootstrap --virtual-ip CIDR` (no --join)");
        var config = KvJson.Parse<ClusterConfig>(entry);
        if (requestedVip is not null && !requestedVip.Equals(config.VirtualIp))
            throw new BootstrapException($"--virtual-ip {requestedVip} differs from the cluster's virtual IP {config.VirtualIp} (at '{keys.Config}' via {uri.Authority}); omit --virtual-ip or pass {config.VirtualIp}; nothing was changed on this node", invalidInput: true);
        return config.VirtualIp;
    }

    /// <summary>Before the token is spent: it must be for this node and address (its record says so in clear text).</summary>
    private async Task CheckRecordAsync(ConsulClient remote, JoinSecret secret, CancellationToken cancellationToken)
    {
        var entry = (await remote.GetAsync(keys.JoinToken(secret.Id), null, cancellationToken)).Value;
        if (entry is null || !KvJson.TryParse<JoinTokenRecord>(entry, out var record, out _)) return; // RedeemAsync says what is wrong.
        if (!record.Node.Equals(node) || !record.Address.Equals(address))
            throw new BootstrapException($"join token {secret.Id} was made for node {record.Node} at {record.Address}, and this node is {node} at {address}; " +
                $"create one for this node: hamanager join-token create --node {node} --address {address}; nothing was changed on this node", invalidInput: true);
    }
}
