using HaManager.Cluster.Consul;
using HaManager.Cluster.Model;

namespace HaManager.Cluster.Json;

/// <summary>
/// Which record type every HaManager key holds, so one entry can be judged on its own: the watch
/// engine keeps a last-known-good value per key, and `status` lists every invalid key, with the
/// same rules. Keys of no known shape (locks, keys of a newer version) are not judged.
/// </summary>
public sealed class KvRecordCatalog(KvKeys keys)
{
    public KvKeys Keys { get; } = keys;

    /// <returns>Null when the entry is valid or not a record this version knows; otherwise why it is invalid.</returns>
    public KvValueError? Validate(KvEntry entry)
    {
        var key = entry.Key;
        if (key == Keys.Config) return Check<ClusterConfig>(entry);
        if (key == Keys.PostgresMaster) return Check<PostgresMasterRecord>(entry);
        if (key == Keys.PostgresSecrets) return Check<PostgresSecrets>(entry);
        if (key == Keys.Maintenance) return Check<MaintenanceRecord>(entry);
        if (key == Keys.Switchover) return Check<SwitchoverRecord>(entry);
        if (key.StartsWith(Keys.TransitionsPrefix, StringComparison.Ordinal)) return Check<Transition>(entry);
        if (key.StartsWith(Keys.DrillsPrefix, StringComparison.Ordinal)) return Check<DrillRecord>(entry);
        if (key.StartsWith(Keys.NodesPrefix, StringComparison.Ordinal)) return CheckNode(entry);
        if (key.StartsWith(Keys.KeepalivedNodesPrefix, StringComparison.Ordinal)) return CheckPerNode<KeepalivedNodeRecord>(entry, Keys.KeepalivedNodesPrefix);
        if (key.StartsWith(Keys.PostgresNodesPrefix, StringComparison.Ordinal)) return CheckPerNode<PostgresNodeRecord>(entry, Keys.PostgresNodesPrefix);
        if (key.StartsWith(Keys.PostgresReinitPrefix, StringComparison.Ordinal)) return CheckPerNode<ReinitRequestRecord>(entry, Keys.PostgresReinitPrefix);
        if (key.StartsWith(Keys.PgbouncerNodesPrefix, StringComparison.Ordinal)) return CheckPerNode<PgbouncerNodeRecord>(entry, Keys.PgbouncerNodesPrefix);
        if (key.StartsWith(Keys.SyncthingDevicesPrefix, StringComparison.Ordinal)) return CheckPerNode<SyncthingDeviceRecord>(entry, Keys.SyncthingDevicesPrefix);
        return null;
    }

    private static KvValueError? Check<T>(KvEntry entry) where T : class, IKvRecord =>
        KvJson.TryParse<T>(entry, out _, out var error) ? null : error;

    private static KvValueError? CheckPerNode<T>(KvEntry entry, string prefix) where T : class, IKvRecord =>
        NodeName.TryParse(KvKeys.LastSegment(entry.Key, prefix), out _, out var nameError)
            ? Check<T>(entry)
            : new KvValueError(entry.Key, $"the key does not end in a valid node name: {nameError}");

    private KvValueError? CheckNode(KvEntry entry)
    {
        if (CheckPerNode<NodeRecord>(entry, Keys.NodesPrefix) is { } error) return error;
        var name = KvKeys.LastSegment(entry.Key, Keys.NodesPrefix);
        var record = KvJson.Parse<NodeRecord>(entry);
        return record.Name.Value == name ? null : new KvValueError(entry.Key, $"the record names node '{record.Name}', not '{name}'");
    }
}
