using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Model;
using HaManager.Tests.Support;
using HaManager.Watchers.Engine;

namespace HaManager.Tests.Api;

/// <summary>Engine snapshots of a seeded 3-node cluster, as `SnapshotTaken` hands them over.</summary>
internal static class KvSnapshots
{
    public static async Task<KvSnapshot> WithPrimaryAsync(string primary)
    {
        var kv = new InMemoryKvStore();
        var seed = await new ClusterSeed(kv).ConfigAsync();
        for (var i = 1; i <= 3; i++) await seed.NodeAsync($"n{i}", $"10.231.0.{10 + i}", 160 - 10 * i);
        await seed.PostgresAsync(primary, null, [.. new[] { "n1", "n2", "n3" }.Select((n, i) => (n, i + 1, n == primary ? PostgresRole.Primary : PostgresRole.Standby))]);
        var keys = new KvKeys();
        return await KvSnapshot.ReadAsync(kv, keys, [keys.Prefix], CancellationToken.None);
    }
}
