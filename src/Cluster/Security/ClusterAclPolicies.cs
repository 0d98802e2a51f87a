using HaManager.Cluster.Consul;
using HaManager.Cluster.Model;

namespace HaManager.Cluster.Security;

/// <summary>
/// The ACL policies HaManager creates, with Consul's default policy set to deny. Least privilege by role:
/// <list type="bullet">
/// <item>node: its own agent, node and session; write on its own records and on the shared keys a node's hooks
/// and bootstrap must write (<c>postgres/master</c>, <c>transitions/</c>, <c>locks/</c>); read of the rest of the
/// prefix including <c>secrets/</c> (it needs the PostgreSQL passwords) — but not the CA key nor join tokens.</item>
/// <item>operator (`status`, `history`): read of the prefix except <c>secrets/</c> and <c>join/</c>, operator read.</item>
/// <item>join: read and consume one join token's record, nothing else.</item>
/// <item>anonymous: no policy at all — Consul's anonymous token is left as it is created, without policies.</item>
/// </list>
/// Exact <c>key</c> rules (not <c>key_prefix</c>) for a node's own records, or node n1 could write n10's.
/// </summary>
public static class ClusterAclPolicies
{
    public const string OperatorPolicyName = "hamanager-operator";

    public const string AdminPolicyName = "hamanager-admin";

    public static string NodePolicyName(NodeName node) => "hamanager-node-" + node.Value;

    public static string JoinPolicyName(JoinTokenId id) => "hamanager-join-" + id.Value;

    public static AclPolicyDefinition Node(KvKeys keys, NodeName node)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var rules = new AclRules()
            .Comment($"hamanager node {node.Value}: its agent, its own records, the shared keys it writes, read of the rest")
            .Agent(node, AclAccess.Write)
            .Node(node, AclAccess.Write)
            .NodePrefix(string.Empty, AclAccess.Read)
            .ServicePrefix(string.Empty, AclAccess.Read)
            .Session(node, AclAccess.Write)
            .Operator(AclAccess.Read)
            .KeyPrefix(keys.Prefix, AclAccess.Read)
            .Key(keys.Node(node), AclAccess.Write)
            .Key(keys.KeepalivedNode(node), AclAccess.Write)
            .Key(keys.PostgresNode(node), AclAccess.Write)
            .Key(keys.PgbouncerNode(node), AclAccess.Write)
            .Key(keys.PostgresReinit(node), AclAccess.Write)
            .Key(keys.SyncthingDevice(node), AclAccess.Write)
            .Key(keys.PostgresMaster, AclAccess.Write)
            // The switchover record's phases are reported by the watchers of the old and the new primary.
            .Key(keys.Switchover, AclAccess.Write)
            .KeyPrefix(keys.TransitionsPrefix, AclAccess.Write)
            .KeyPrefix(keys.LocksPrefix, AclAccess.Write)
            .Key(keys.CertificateAuthority, AclAccess.Deny)
            .KeyPrefix(keys.JoinTokensPrefix, AclAccess.Deny);
        return new AclPolicyDefinition(NodePolicyName(node), $"HaManager node {node.Value}", rules.ToString());
    }

    public static AclPolicyDefinition Operator(KvKeys keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var rules = new AclRules()
            .Comment("hamanager operator: status and history; no secrets, no writes")
            .KeyPrefix(keys.Prefix, AclAccess.Read)
            .KeyPrefix(keys.SecretsPrefix, AclAccess.Deny)
            .KeyPrefix(keys.JoinTokensPrefix, AclAccess.Deny)
            .NodePrefix(string.Empty, AclAccess.Read)
            .AgentPrefix(string.Empty, AclAccess.Read)
            .ServicePrefix(string.Empty, AclAccess.Read)
            .Operator(AclAccess.Read);
        return new AclPolicyDefinition(OperatorPolicyName, "HaManager operator (read-only, no secrets)", rules.ToString());
    }

    /// <summary>
    /// The operations commands run as root on a node (switchover, maintenance, config, node remove|reinit, drill,
    /// history notes): write on the prefix, read of <c>secrets/</c> (a drill writes through the application role), never
    /// the CA key or join tokens; sessions for their locks; agent and operator write for `node remove`'s force-leave. Root on a
    /// node holds the gossip key and a server certificate anyway: this token gives it nothing it could not take.
    /// </summary>
    public static AclPolicyDefinition Admin(KvKeys keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var rules = new AclRules()
            .Comment("hamanager admin: the operations commands on a node; no CA key, no join tokens")
            .KeyPrefix(keys.Prefix, AclAccess.Write)
            .KeyPrefix(keys.SecretsPrefix, AclAccess.Read)
            .Key(keys.CertificateAuthority, AclAccess.Deny)
            .KeyPrefix(keys.JoinTokensPrefix, AclAccess.Deny)
            .NodePrefix(string.Empty, AclAccess.Read)
            // Consul's force-leave asks for agent and operator write (docs/operations.md, "Removing a node").
            .AgentPrefix(string.Empty, AclAccess.Write)
            .ServicePrefix(string.Empty, AclAccess.Read)
            .SessionPrefix(string.Empty, AclAccess.Write)
            .Operator(AclAccess.Write);
        return new AclPolicyDefinition(AdminPolicyName, "HaManager operations on a node (no CA key, no join tokens)", rules.ToString());
    }

    /// <summary>Write (which includes read) on exactly one join token's record: enough to redeem it, nothing more.</summary>
    public static AclPolicyDefinition Join(KvKeys keys, JoinTokenId id)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var rules = new AclRules()
            .Comment($"hamanager join token {id.Value}: redeem this one token")
            .Key(keys.JoinToken(id), AclAccess.Write)
            // The joining node checks --virtual-ip against the cluster's before it redeems (and changes) anything.
            .Key(keys.Config, AclAccess.Read);
        return new AclPolicyDefinition(JoinPolicyName(id), $"HaManager join token {id.Value}", rules.ToString());
    }
}
