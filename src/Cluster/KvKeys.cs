using HaManager.Cluster.Model;
using HaManager.Cluster.Security;

namespace HaManager.Cluster;

/// <summary>Every key name HaManager reads or writes. Nothing else in the codebase spells a key.</summary>
public sealed class KvKeys
{
    public const string DefaultPrefix = "hamanager/";

    public KvKeys(string prefix = DefaultPrefix)
    {
        if (string.IsNullOrWhiteSpace(prefix) || prefix.StartsWith('/') || prefix.Contains("..", StringComparison.Ordinal)
            || prefix.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            throw new ArgumentException($"'{prefix}' is not a usable KV prefix", nameof(prefix));
        }

        Prefix = prefix.EndsWith('/') ? prefix : prefix + "/";
    }

    public string Prefix { get; }

    public string Config => Prefix + "config";
    public string NodesPrefix => Prefix + "nodes/";
    public string Node(NodeName node) => NodesPrefix + node.Value;
    public string KeepalivedNodesPrefix => Prefix + "keepalived/nodes/";
    public string KeepalivedNode(NodeName node) => KeepalivedNodesPrefix + node.Value;
    public string TransitionsPrefix => Prefix + "transitions/";
    public string DrillsPrefix => Prefix + "drills/";

    /// <summary>The operator's maintenance window (<see cref="MaintenanceRecord"/>): automatic decisions pause while it is open.</summary>
    public string Maintenance => Prefix + "maintenance";
    public string LocksPrefix => Prefix + "locks/";
    public string BootstrapLock => LocksPrefix + "bootstrap";

    /// <summary>Serializes `hamanager switchover` runs (a Consul session lock).</summary>
    public string SwitchoverLock => LocksPrefix + "switchover";

    /// <summary>The switchover in progress (<see cref="SwitchoverRecord"/>); absent when none runs.</summary>
    public string Switchover => Prefix + "switchover";
    public string SecretsPrefix => Prefix + "secrets/";
    public string PostgresSecrets => SecretsPrefix + "postgres";

    /// <summary>The cluster CA with its key (<see cref="PemCertificate"/>); management token only, node tokens are denied it.</summary>
    public string CertificateAuthority => SecretsPrefix + "ca";

    /// <summary>Consul's gossip encryption key (<see cref="Security.GossipKey"/>).</summary>
    public string GossipKey => SecretsPrefix + "gossip";

    /// <summary>One-time join tokens (<see cref="JoinTokenRecord"/>); each is readable only with the ACL token derived from its secret.</summary>
    public string JoinTokensPrefix => Prefix + "join/";
    public string JoinToken(JoinTokenId id) => JoinTokensPrefix + id.Value;
    public string PostgresMaster => Prefix + "postgres/master";
    public string PostgresNodesPrefix => Prefix + "postgres/nodes/";
    public string PostgresNode(NodeName node) => PostgresNodesPrefix + node.Value;

    /// <summary>Re-clone requests (<see cref="ReinitRequestRecord"/>), one per node, acted on by that node's watcher only.</summary>
    public string PostgresReinitPrefix => Prefix + "postgres/reinit/";
    public string PostgresReinit(NodeName node) => PostgresReinitPrefix + node.Value;
    public string PgbouncerNodesPrefix => Prefix + "pgbouncer/nodes/";
    public string PgbouncerNode(NodeName node) => PgbouncerNodesPrefix + node.Value;
    public string SyncthingDevicesPrefix => Prefix + "syncthing/devices/";
    public string SyncthingDevice(NodeName node) => SyncthingDevicesPrefix + node.Value;

    public string Transition(DateTimeOffset at, NodeName node, string service) =>
        $"{TransitionsPrefix}{at.UtcDateTime:yyyyMMdd'T'HHmmss'.'fffffff'Z'}-{node.Value}-{service}";

    public string Drill(DateTimeOffset at) => $"{DrillsPrefix}{at.UtcDateTime:yyyyMMdd'T'HHmmss'.'fffffff'Z'}";

    /// <summary>The last path segment of a key under <paramref name="prefix"/>, e.g. the node name.</summary>
    public static string LastSegment(string key, string prefix) =>
        key.StartsWith(prefix, StringComparison.Ordinal) ? key[prefix.Length..] : key;
}
