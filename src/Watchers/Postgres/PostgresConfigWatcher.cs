using HaManager.Cluster;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Templates;
using HaManager.Templates.Views;
using HaManager.Watchers.Engine;
using HaManager.Watchers.Files;

namespace HaManager.Watchers.Postgres;

/// <summary>
/// pg_hba.conf (every registered node may replicate and reach the application database) and the
/// quorum-commit setting over the registered standbys. Both take effect on a PostgreSQL reload.
/// </summary>
public sealed class PostgresConfigWatcher(KvKeys keys, PostgresLocal local, bool quorumCommit, TemplateRenderer renderer) : IServiceWatcher
{
    public string Name => "postgres";

    public IReadOnlyList<string> Prefixes { get; } = [keys.Config, keys.NodesPrefix, keys.PostgresMaster, keys.PostgresNodesPrefix];

    public ServiceTarget Service { get; } = new("postgresql", local.PostgresService);

    public WatchOutput Render(KvSnapshot snapshot)
    {
        var errors = new List<KvValueError>();
        var config = snapshot.Parse<ClusterConfig>(keys.Config, errors);
        var nodes = snapshot.ParseRegisteredNodes(errors);
        var master = snapshot.Parse<PostgresMasterRecord>(keys.PostgresMaster, errors);
        var pgNodes = snapshot.ParseNodes<PostgresNodeRecord>(keys.PostgresNodesPrefix, errors);
        if (errors.Count > 0) return WatchOutput.Invalid(errors);
        if (config is null) return WatchOutput.NotReady($"no cluster config at '{keys.Config}'");
        if (master is null) return WatchOutput.NotReady($"no PostgreSQL master at '{keys.PostgresMaster}'");
        if (!local.DataDirectoryExists()) return WatchOutput.NotReady($"no data directory at {local.DataDir} yet");

        var hba = renderer.Render("pg_hba.conf", new PgHbaView(nodes.Values.Select(n => (n.Name, n.Address)), config.AppDatabase, config.AppUser));
        // A node still cloning (role unknown) is left out: naming it would stall every commit until it streams.
        var standbys = pgNodes.Where(p => p.Key != master.Node.Value && p.Value.Role != PostgresRole.Unknown).Select(p => NodeName.Parse(p.Key)).ToList();
        var replication = new ReplicationConfView(quorumCommit, standbys);
        var replicationConf = renderer.Render(PostgresLocal.ReplicationConfFile, replication);
        var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        return WatchOutput.Ready(
        [
            new RenderedFile(Path.Combine(local.DataDir, "pg_hba.conf"), hba, mode, Owner: local.OsUser),
            new RenderedFile(Path.Combine(local.DataDir, PostgresLocal.ReplicationConfFile), replicationConf, mode, Owner: local.OsUser),
        ], $"{nodes.Count} node(s) in pg_hba.conf, synchronous_standby_names '{replication.SynchronousStandbyNames}'");
    }
}
