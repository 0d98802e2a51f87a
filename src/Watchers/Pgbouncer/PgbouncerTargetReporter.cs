using System.Text.RegularExpressions;
using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Watchers.Engine;

namespace HaManager.Watchers.Pgbouncer;

/// <summary>
/// Publishes where this node's pgbouncer actually points (read back from the file it runs with) under
/// <c>pgbouncer/nodes/&lt;node&gt;</c>, so `hamanager status` can tell a pgbouncer that lags behind the master.
/// </summary>
public sealed partial class PgbouncerTargetReporter(IKvStore kv, KvKeys keys, NodeName node, string configFile) : IReconciler
{
    public string Name => "pgbouncer target";

    public IReadOnlyList<string> Prefixes { get; } = [keys.NodesPrefix, keys.PgbouncerNodesPrefix];

    public async Task<string?> ReconcileAsync(KvSnapshot snapshot, CancellationToken cancellationToken)
    {
        if (!File.Exists(configFile)) return null;
        var match = HostLine().Match(await File.ReadAllTextAsync(configFile, cancellationToken));
        if (!match.Success || !IpAddresses.TryParse(match.Groups["host"].Value, out var host, out _)) return null;

        var errors = new List<KvValueError>();
        var target = snapshot.ParseRegisteredNodes(errors).Values.FirstOrDefault(n => n.Address.Equals(host));
        if (target is null) return null;
        var current = snapshot.Parse<PgbouncerNodeRecord>(keys.PgbouncerNode(node), errors);
        if (current is not null && current.TargetNode == target.Name && current.TargetHost.Equals(host)) return null;

        var record = new PgbouncerNodeRecord { TargetNode = target.Name, TargetHost = host, Since = DateTimeOffset.UtcNow };
        await kv.PutAsync(keys.PgbouncerNode(node), KvJson.Serialize(record), null, cancellationToken);
        return $"published target {target.Name} ({host})";
    }

    [GeneratedRegex(@"^\s*\w+\s*=\s*host=(?<host>[0-9a-fA-F.:]+)\s", RegexOptions.Multiline)]
    private static partial Regex HostLine();
}
