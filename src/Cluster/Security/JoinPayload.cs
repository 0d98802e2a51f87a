using System.Net;
using System.Text;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Model;

namespace HaManager.Cluster.Security;

/// <summary>
/// Everything a joining node needs and cannot get on its own, sealed inside its join token's KV record: the gossip
/// key, the cluster CA, its own server certificate and key, and its node ACL token. Exists in clear text only in
/// memory of the node that creates the join token and of the node that redeems it. ToString hides the secrets.
/// </summary>
public sealed record JoinPayload : IKvRecord
{
    public required NodeName Node { get; init; }

    public required IPAddress Address { get; init; }

    public required string Datacenter { get; init; }

    public required GossipKey GossipKey { get; init; }

    /// <summary>The CA alone (no key): the joining node's ca_file and CONSUL_CACERT.</summary>
    public required string CaCertificatePem { get; init; }

    public required PemCertificate ServerCertificate { get; init; }

    /// <summary>SecretID of the node's ACL token (its policy: <see cref="ClusterAclPolicies.Node"/>).</summary>
    public required string NodeAclToken { get; init; }

    /// <summary>SecretID of the node's operations token (policy <see cref="ClusterAclPolicies.Admin"/>), for commands run as root there.</summary>
    public string? AdminAclToken { get; init; }

    public IEnumerable<string> Validate()
    {
        if (!ConsulNames.IsValidDatacenter(Datacenter)) yield return "datacenter is not a usable Consul datacenter name";
        foreach (var problem in GossipKey.Validate()) yield return "gossip_key: " + problem;
        foreach (var problem in ServerCertificate.Validate()) yield return "server_certificate: " + problem;
        if (!ConsulNames.IsUuid(NodeAclToken)) yield return "node_acl_token is not a Consul token (UUID)";
        if (AdminAclToken is not null && !ConsulNames.IsUuid(AdminAclToken)) yield return "admin_acl_token is not a Consul token (UUID)";
        if (!CaCertificatePem.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)) yield return "ca_certificate_pem is not a PEM certificate";
    }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Node = ").Append(Node.Value).Append(", Address = ").Append(Address).Append(", Datacenter = ").Append(Datacenter)
            .Append(", GossipKey = (hidden), ServerCertificate = (hidden), NodeAclToken = (hidden), AdminAclToken = (hidden)");
        return true;
    }
}
