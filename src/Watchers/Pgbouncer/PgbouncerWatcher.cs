using HaManager.Cluster;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Cluster.Settings;
using HaManager.Templates;
using HaManager.Templates.Views;
using HaManager.Watchers.Engine;

namespace HaManager.Watchers.Pgbouncer;

/// <summary>
/// pgbouncer.ini pointing every database at the host in <c>postgres/master</c>, and the auth file.
/// A master that names an unregistered node, a host other than that node's registered address, or (given
/// <paramref name="postgresPort"/>) a port other than the one PostgreSQL listens on in the settings, is rejected:
/// pgbouncer keeps its current target.
/// </summary>
/// <param name="postgresPort">postgres.port of the local settings, which every node shares (status probes each node on it too).</param>
public sealed class PgbouncerWatcher(KvKeys keys, PgbouncerOptions options, ServiceTarget service, string osUser, TemplateRenderer renderer,
    int? postgresPort = null) : IServiceWatcher
{
    public string Name => "pgbouncer";

    public IReadOnlyList<string> Prefixes { get; } = [keys.Config, keys.NodesPrefix, keys.PostgresMaster, keys.PostgresSecrets];

    public ServiceTarget Service { get; } = service;

    /// <summary>The failover-critical path: a new master reaches pgbouncer without waiting for any reconciler.</summary>
    public bool RendersIndependently => true;

    public WatchOutput Render(KvSnapshot snapshot)
    {
        var errors = new List<KvValueError>();
        var config = snapshot.Parse<ClusterConfig>(keys.Config, errors);
        var nodes = snapshot.ParseRegisteredNodes(errors);
        var master = snapshot.Parse<PostgresMasterRecord>(keys.PostgresMaster, errors);
        var secrets = snapshot.Parse<PostgresSecrets>(keys.PostgresSecrets, errors);
        if (master is not null)
        {
            if (!nodes.TryGetValue(master.Node.Value, out var registered))
                errors.Add(new KvValueError(keys.PostgresMaster, $"names node '{master.Node}', which is not registered under '{keys.NodesPrefix}'"));
            else if (!registered.Address.Equals(master.Host))
                errors.Add(new KvValueError(keys.PostgresMaster,
                    $"names host {master.Host} for node '{master.Node}', which is registered at {registered.Address} ('{keys.Node(master.Node)}'): clients are never sent to an address KV cannot vouch for"));
            else if (postgresPort is { } port && master.Port != port)
                errors.Add(new KvValueError(keys.PostgresMaster,
                    $"names port {master.Port}, but PostgreSQL listens on port {port} on every node (postgres.port in the settings): clients are never sent to a port KV cannot vouch for"));
        }

        if (errors.Count > 0) return WatchOutput.Invalid(errors);
        if (config is null) return WatchOutput.NotReady($"no cluster config at '{keys.Config}'");
        if (master is null) return WatchOutput.NotReady($"no PostgreSQL master at '{keys.PostgresMaster}'");
        if (secrets is null) return WatchOutput.NotReady($"no credentials at '{keys.PostgresSecrets}'");

        var paths = new PgbouncerPaths(options.SocketDir, options.AuthFile, options.PidFile, options.LogFile);
        var ini = renderer.Render("pgbouncer.ini", new PgbouncerIniView(
            master.Node, master.Host, master.Port, config.AppDatabase, options.ListenAddress, options.ListenPort, paths, options.QueryWaitTimeoutSeconds, options.PoolMode));
        var userlist = renderer.Render("userlist.txt", new UserlistView(config.AppUser, secrets));
        var privateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        return WatchOutput.Ready(
        [
            new RenderedFile(options.ConfigFile, ini, privateMode | UnixFileMode.GroupRead, Owner: osUser),
            new RenderedFile(options.AuthFile, userlist, privateMode, Owner: osUser),
        ], $"master {master.Node} ({master.Host}:{master.Port})");
    }
}
