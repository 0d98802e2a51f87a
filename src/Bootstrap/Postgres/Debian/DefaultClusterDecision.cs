namespace HaManager.Bootstrap.Postgres.Debian;

/// <summary>
/// What bootstrap does about postgresql-common's clusters before HaManager's PostgreSQL takes its port.
/// Installing PostgreSQL the Debian way creates and starts VERSION/main on 5432, the port HaManager's
/// own cluster needs. Such a cluster, untouched since initdb, holds nothing to lose and is dropped;
/// any other cluster on the port (one with data, or one that is not Debian's default) is never
/// touched: bootstrap stops and says how to free the port. Clusters on other ports do not matter.
/// </summary>
public sealed record DefaultClusterDecision(IReadOnlyList<DebianCluster> Drop, string? Refusal)
{
    public static DefaultClusterDecision Decide(IReadOnlyList<(DebianCluster Cluster, ClusterContents Contents)> clusters, int port, string ownDataDirectory)
    {
        var clashing = clusters
            .Where(c => c.Cluster.Port == port && !SamePath(c.Cluster.DataDirectory, ownDataDirectory))
            .ToList();
        var kept = clashing.Where(c => !(c.Cluster.IsDefault && c.Contents.IsUntouched)).ToList();
        if (kept.Count > 0) return new DefaultClusterDecision([], Refuse(kept, port));
        return new DefaultClusterDecision(clashing.Select(c => c.Cluster).ToList(), null);
    }

    private static string Refuse(IReadOnlyList<(DebianCluster Cluster, ClusterContents Contents)> kept, int port)
    {
        var (first, _) = kept[0];
        var which = string.Join("; ", kept.Select(c =>
            $"{c.Cluster} ({(c.Cluster.Online ? "running" : "stopped")}, {c.Cluster.DataDirectory}), which holds {c.Contents.Describe()}"));
        return $"PostgreSQL port {port} is taken by the Debian cluster {which}. HaManager's PostgreSQL needs that port, and bootstrap " +
               "drops only Debian's default cluster (VERSION/main) while it is untouched since initdb, so nothing was changed on this node. " +
               $"Either move that cluster to another port (set port = 5433 in /etc/postgresql/{first.Version}/{first.Name}/postgresql.conf, " +
               $"then pg_ctlcluster {first.Version} {first.Name} restart), or, once its data is saved elsewhere (pg_dumpall), " +
               $"drop it (pg_dropcluster --stop {first.Version} {first.Name}); then run bootstrap again.";
    }

    private static bool SamePath(string a, string b) =>
        string.Equals(Path.TrimEndingDirectorySeparator(a), Path.TrimEndingDirectorySeparator(b), StringComparison.Ordinal);
}
