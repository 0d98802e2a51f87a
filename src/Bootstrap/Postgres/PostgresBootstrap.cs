using System.Net;
using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Cluster.Settings;
using HaManager.Templates;
using HaManager.Templates.Views;
using HaManager.Watchers.Engine;
using HaManager.Watchers.Files;
using HaManager.Watchers.Notify;
using HaManager.Watchers.Postgres;
using HaManager.Watchers.Processes;
using HaManager.Watchers.Services;
using Serilog;

namespace HaManager.Bootstrap.Postgres;

/// <summary>
/// The database part of bootstrap, run under the bootstrap lock so two nodes never both become the
/// primary: no registered master → initialize and register this node as primary; otherwise clone
/// from the registered master (or, for an old primary, rejoin it as a standby).
/// </summary>
public sealed class PostgresBootstrap(
    HaManagerSettings settings, KvKeys keys, IServiceManager services, ProcessRunner runner, BootstrapProgress progress, ILogger logger)
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan CloneRetryWindow = TimeSpan.FromSeconds(60);
    private readonly PostgresLocal _local = new(settings);
    private readonly NodeName _node = NodeName.Parse(settings.Node.Name);
    private readonly IPAddress _address = IpAddresses.Parse(settings.Node.Address);
    private readonly TemplateRenderer _renderer = new(settings.Paths.TemplatesDir);

    public async Task RunAsync(ConsulClient consul, bool initializing, CancellationToken cancellationToken)
    {
        progress.Step("Preparing PostgreSQL directories and credentials");
        PrepareDirectories();
        var secrets = await EnsureSecretsAsync(consul, initializing, cancellationToken);
        await WritePassFileAsync(consul, cancellationToken);
        progress.Result($"passfile {_local.PassFile} for the registered nodes' addresses (mode 0600, owner {_local.OsUser})");

        if (services.IsSystemd(_local.PostgresService)) await WriteUnitDropInsAsync(cancellationToken);

        progress.Step("Choosing the repmgr node id");
        var nodeId = await EnsureNodeIdAsync(consul, cancellationToken);
        progress.Result($"node id {nodeId}");
        await RenderRepmgrConfAsync(consul, cancellationToken);

        var master = await ReadAsync<PostgresMasterRecord>(consul, keys.PostgresMaster, cancellationToken);
        if (master is null || master.Node == _node)
        {
            progress.Step(master is null ? "Initializing this node as the PostgreSQL primary" : "Checking the PostgreSQL primary (this node)");
            progress.Result(await PrimaryAsync(consul, secrets, nodeId, master is not null, cancellationToken));
        }
        else
        {
            progress.Step($"Setting up this node as a standby of {master.Node} ({master.Host})");
            progress.Result(await StandbyAsync(consul, master, nodeId, cancellationToken));
        }

        progress.Step("Starting repmgrd");
        progress.Result(await services.StartAsync("repmgrd", _local.RepmgrdService, cancellationToken) ? "started" : "already running");
    }

    private async Task<string> PrimaryAsync(ConsulClient consul, PostgresSecrets secrets, int nodeId, bool registered, CancellationToken cancellationToken)
    {
        var config = await ConfigAsync(consul, cancellationToken);
        var steps = new List<string>();
        if (!_local.DataDirectoryExists())
        {
            await RequireAsync("initdb", _local.AsOsUser(_local.Bin("initdb"), "-D", _local.DataDir, "-U", "postgres", "-E", "UTF8", "--locale=C",
                "--auth-local=peer", "--auth-host=scram-sha-256"), cancellationToken);
            await WriteDataFileAsync(PostgresLocal.StaticConfFile, PostgresStaticConfig.Content, cancellationToken);
            await WriteDataFileAsync("pg_ident.conf", PostgresStaticConfig.IdentMap, cancellationToken);
            var conf = Path.Combine(_local.DataDir, "postgresql.conf");
            var text = await File.ReadAllTextAsync(conf, cancellationToken);
            if (!text.Contains(PostgresStaticConfig.IncludeLine, StringComparison.Ordinal))
                await WriteDataFileAsync("postgresql.conf", text + "\n" + PostgresStaticConfig.IncludeLine + "\n", cancellationToken);
            steps.Add("initdb done");
        }

        await WriteDataFileAsync("pg_hba.conf", await RenderHbaAsync(consul, config, cancellationToken), cancellationToken);
        if (!File.Exists(Path.Combine(_local.DataDir, PostgresLocal.ReplicationConfFile)))
            await WriteDataFileAsync(PostgresLocal.ReplicationConfFile, _renderer.Render(PostgresLocal.ReplicationConfFile, new ReplicationConfView(true, [])), cancellationToken);
        steps.Add(await services.StartAsync("postgresql", _local.PostgresService, cancellationToken) ? "started" : "already running");
        secrets = await EnsureMonitorPasswordAsync(consul, secrets, cancellationToken);
        steps.AddRange(await PostgresRoles.EnsureAsync(_local.SuperuserConnectionString(), secrets, config.AppDatabase, config.AppUser, cancellationToken));
        await RequireAsync("repmgr primary register", _local.AsOsUser(_local.Bin("repmgr"), "-f", _local.RepmgrConfigFile, "primary", "register", "-F"), cancellationToken);
        steps.Add("registered with repmgr");

        if (!registered)
        {
            await _local.WritePromotedAtAsync(DateTimeOffset.UtcNow, cancellationToken);
            var record = new PostgresMasterRecord { Node = _node, Host = _address, Port = _local.Port, NodeId = nodeId, Since = DateTimeOffset.UtcNow, Timeline = _local.Timeline() };
            if (!await consul.PutAsync(keys.PostgresMaster, KvJson.Serialize(record), 0, cancellationToken))
                throw new BootstrapException($"'{keys.PostgresMaster}' appeared while this node initialized as primary; re-run bootstrap");
            steps.Add($"registered at '{keys.PostgresMaster}'");
        }

        await PutNodeAsync(consul, nodeId, PostgresRole.Primary, null, cancellationToken);
        return string.Join(", ", steps);
    }

    private async Task<string> StandbyAsync(ConsulClient consul, PostgresMasterRecord master, int nodeId, CancellationToken cancellationToken)
    {
        var rejoin = new PostgresRejoin(_local, services, runner, logger);
        var upstream = new StandbyUpstream(master.Node, master.Host, master.Port, _node, nodeId, _local.PassFile);
        string outcome;
        if (_local.DataDirectoryExists() && _local.IsStandbyDataDirectory())
        {
            try
            {
                outcome = await services.StartAsync("postgresql", _local.PostgresService, cancellationToken) ? "existing standby started" : "existing standby already running";
            }
            catch (ServiceException e)
            {
                // A standby data directory that cannot start (a half-finished rewind, a diverged history) is cloned afresh, the old one kept aside.
                logger.Warning("The existing standby data directory did not start: {Reason}; cloning afresh from {Master}", e.Message, master.Node.Value);
                outcome = await rejoin.RecloneAsync(upstream, cancellationToken);
            }
        }
        else if (_local.DataDirectoryExists())
        {
            // An old primary (killed, then revived): it must never come back writable.
            await services.StopAsync("postgresql", _local.PostgresService, cancellationToken);
            outcome = await rejoin.RejoinAsync(upstream, cancellationToken);
            await RecordDemotionAsync(consul, master, nodeId, outcome, cancellationToken);
        }
        else
        {
            await RetryAsync("clone", () => rejoin.CloneAsync(master.Node, master.Host, master.Port, cancellationToken), cancellationToken);
            await rejoin.ConfigureStandbyAsync(upstream, cancellationToken);
            await services.StartAsync("postgresql", _local.PostgresService, cancellationToken);
            await RetryAsync("standby register", () => rejoin.RegisterStandbyAsync(cancellationToken), cancellationToken);
            outcome = $"cloned from {master.Node}, started and registered";
        }

        await PutNodeAsync(consul, nodeId, PostgresRole.Standby, master.Node, cancellationToken);
        return outcome;
    }

    /// <summary>
    /// History gets the old primary's demotion, as when the fencer rejoins it: spool first, so a Consul hiccup
    /// leaves it for the watcher to replay instead of losing it.
    /// </summary>
    private async Task RecordDemotionAsync(ConsulClient consul, PostgresMasterRecord master, int nodeId, string outcome, CancellationToken cancellationToken)
    {
        var hook = new NotifyHook(new TransitionRecorder(consul, keys, logger),
            new NotifySpool(settings.Paths.SpoolDir, logger), DemotionRecordBudget, logger);
        await hook.RecordOrSpoolAsync(
            RepmgrEvent.Follow(_node, nodeId, master, $"bootstrap rejoined the old primary as a standby of {master.Node}: {outcome}"), cancellationToken);
    }

    private static readonly TimeSpan DemotionRecordBudget = TimeSpan.FromSeconds(8);

    /// <summary>hamanager-postgresql.service and hamanager-repmgrd.service get this node's paths and commands.</summary>
    private async Task WriteUnitDropInsAsync(CancellationToken cancellationToken)
    {
        progress.Step("Writing the systemd drop-ins for PostgreSQL and repmgrd");
        var changed = false;
        foreach (var dropIn in Systemd.PostgresUnits.DropIns(_local))
        {
            var written = await AtomicFile.WriteAsync(dropIn.PathIn(Systemd.UnitDropIn.DefaultSystemdDirectory),
                dropIn.Render(settings.SourcePath ?? HaManagerSettings.DefaultPath), AtomicFile.DefaultMode, cancellationToken: cancellationToken);
            changed |= written.Changed;
        }

        if (changed) await RequireAsync("systemctl daemon-reload", ["systemctl", "daemon-reload"], cancellationToken);
        progress.Result(changed ? "written, systemd reloaded" : "already up to date");
    }

    /// <summary>The master's watcher adds this node to pg_hba.conf a moment after it registers; until then clone is refused.</summary>
    private async Task RetryAsync(string what, Func<Task> action, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + CloneRetryWindow;
        while (true)
        {
            try
            {
                await action();
                return;
            }
            catch (InvalidOperationException e) when (DateTime.UtcNow < deadline)
            {
                logger.Information("{What} not possible yet, retrying: {Reason}", what, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    private void PrepareDirectories()
    {
        var user = _local.OsUser;
        CreateOwned(_local.SocketDir, user, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        if (!Directory.Exists(_local.DataDir)) CreateOwned(_local.DataDir, user, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        CreateOwned(Path.GetDirectoryName(_local.RepmgrdPidFile)!, user, null);
        foreach (var log in new[] { settings.Postgres.LogFile, settings.Postgres.RepmgrLogFile, settings.Pgbouncer.LogFile })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(log)!);
            // The log directory may be writable by the database user: never follow a link planted there.
            Watchers.Processes.Posix.PrepareLogFile(log, user);
        }

        CreateOwned(Path.GetDirectoryName(settings.Pgbouncer.PidFile)!, user, null);
        // repmgr runs its event hook as the database user: it must be able to spool when Consul is away.
        CreateOwned(settings.Paths.SpoolDir, user, null);
    }

    private static void CreateOwned(string directory, string user, UnixFileMode? mode)
    {
        if (mode is { } m) Directory.CreateDirectory(directory, m);
        else Directory.CreateDirectory(directory);
        Watchers.Processes.Posix.ChownNoFollow(directory, user);
    }

    private async Task<PostgresSecrets> EnsureSecretsAsync(ConsulClient consul, bool initializing, CancellationToken cancellationToken)
    {
        var existing = await ReadAsync<PostgresSecrets>(consul, keys.PostgresSecrets, cancellationToken);
        if (existing is not null) return existing;
        if (!initializing) throw new BootstrapException($"no credentials at '{keys.PostgresSecrets}'; the initializing node writes them — bootstrap it first");
        var generated = new PostgresSecrets
        {
            RepmgrPassword = PostgresSecrets.Generate(), AppPassword = PostgresSecrets.Generate(), MonitorPassword = PostgresSecrets.Generate(),
        };
        if (await consul.PutAsync(keys.PostgresSecrets, KvJson.Serialize(generated), 0, cancellationToken)) return generated;
        return await ReadAsync<PostgresSecrets>(consul, keys.PostgresSecrets, cancellationToken)
            ?? throw new BootstrapException($"'{keys.PostgresSecrets}' vanished while it was being written; re-run bootstrap");
    }

    /// <summary>
    /// A secrets record from before the monitoring role gets its password (CAS on the index read), so re-running
    /// bootstrap on the primary of an older cluster creates the role. A token that may not write secrets/ leaves the
    /// record as it is: the probes keep using repmgr, and bootstrap says so.
    /// </summary>
    private async Task<PostgresSecrets> EnsureMonitorPasswordAsync(ConsulClient consul, PostgresSecrets secrets, CancellationToken cancellationToken)
    {
        if (secrets.MonitorPassword is not null) return secrets;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var entry = (await consul.GetAsync(keys.PostgresSecrets, null, cancellationToken)).Value
                ?? throw new BootstrapException($"'{keys.PostgresSecrets}' vanished while this node set up PostgreSQL; re-run bootstrap");
            var current = KvJson.Parse<PostgresSecrets>(entry);
            if (current.MonitorPassword is not null) return current;
            var updated = current with { MonitorPassword = PostgresSecrets.Generate() };
            try
            {
                if (await consul.PutAsync(keys.PostgresSecrets, KvJson.Serialize(updated), entry.ModifyIndex, cancellationToken))
                {
                    progress.Result($"added a password for the {PostgresSecrets.MonitorUser} role to '{keys.PostgresSecrets}'");
                    return updated;
                }
            }
            catch (ConsulRequestException e)
            {
                logger.Warning("Could not add the {Monitor} password to {Key} ({Reason}): status keeps probing PostgreSQL as repmgr; re-run bootstrap on the primary with a token that may write it",
                    PostgresSecrets.MonitorUser, keys.PostgresSecrets, e.Message);
                return current;
            }
        }

        throw new BootstrapException($"'{keys.PostgresSecrets}' kept changing while this node added the monitoring password; re-run bootstrap");
    }

    private async Task<int> EnsureNodeIdAsync(ConsulClient consul, CancellationToken cancellationToken)
    {
        var all = (await consul.ListAsync(keys.PostgresNodesPrefix, null, cancellationToken)).Value;
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in all)
        {
            ids[KvKeys.LastSegment(entry.Key, keys.PostgresNodesPrefix)] = KvJson.Parse<PostgresNodeRecord>(entry).NodeId;
        }

        if (ids.TryGetValue(_node.Value, out var mine)) return mine;
        var nodeId = ids.Count == 0 ? 1 : ids.Values.Max() + 1;
        var record = new PostgresNodeRecord { NodeId = nodeId, Role = PostgresRole.Unknown, Since = DateTimeOffset.UtcNow };
        if (!await consul.PutAsync(keys.PostgresNode(_node), KvJson.Serialize(record), 0, cancellationToken))
            throw new BootstrapException($"'{keys.PostgresNode(_node)}' appeared while choosing a node id; re-run bootstrap");
        return nodeId;
    }

    private async Task PutNodeAsync(ConsulClient consul, int nodeId, PostgresRole role, NodeName? upstream, CancellationToken cancellationToken)
    {
        var record = new PostgresNodeRecord { NodeId = nodeId, Role = role, Upstream = upstream, Since = DateTimeOffset.UtcNow };
        await consul.PutAsync(keys.PostgresNode(_node), KvJson.Serialize(record), null, cancellationToken);
    }

    private async Task RenderRepmgrConfAsync(ConsulClient consul, CancellationToken cancellationToken)
    {
        var watcher = new RepmgrWatcher(keys, _local, RepmgrWatcherOptions.FromSettings(settings, _local), _renderer);
        var snapshot = await KvSnapshot.ReadAsync(consul, keys, watcher.Prefixes, cancellationToken);
        var output = watcher.Render(snapshot);
        if (!output.IsRenderable) throw new BootstrapException($"cannot render repmgr.conf: {output.NotReadyReason ?? string.Join("; ", output.Errors)}");
        foreach (var file in output.Files) await AtomicFile.WriteAsync(file.Path, file.Content, file.Mode, cancellationToken: cancellationToken, owner: file.Owner);
    }

    /// <summary>The same file the repmgr watcher keeps current (<see cref="PgPassFile"/>); this node is registered by now.</summary>
    private async Task WritePassFileAsync(ConsulClient consul, CancellationToken cancellationToken)
    {
        var passFile = new PgPassFile(keys, _local, _address);
        var snapshot = await KvSnapshot.ReadAsync(consul, keys, passFile.Prefixes, cancellationToken);
        var errors = new List<KvValueError>();
        var file = passFile.Render(snapshot, errors, out var notReady);
        if (errors.Count > 0) throw new BootstrapException($"cannot render the passfile: {string.Join("; ", errors)}");
        if (file is null) throw new BootstrapException($"cannot render the passfile: {notReady}");
        await AtomicFile.WriteAsync(file.Path, file.Content, file.Mode, cancellationToken: cancellationToken, owner: file.Owner);
    }

    private async Task<string> RenderHbaAsync(ConsulClient consul, ClusterConfig config, CancellationToken cancellationToken)
    {
        var snapshot = await KvSnapshot.ReadAsync(consul, keys, [keys.NodesPrefix], cancellationToken);
        var errors = new List<KvValueError>();
        var nodes = snapshot.ParseRegisteredNodes(errors);
        if (errors.Count > 0) throw new BootstrapException(string.Join("; ", errors));
        return _renderer.Render("pg_hba.conf", new PgHbaView(nodes.Values.Select(n => (n.Name, n.Address)), config.AppDatabase, config.AppUser));
    }

    private Task WriteDataFileAsync(string name, string content, CancellationToken cancellationToken) =>
        AtomicFile.WriteAsync(Path.Combine(_local.DataDir, name), content, UnixFileMode.UserRead | UnixFileMode.UserWrite, cancellationToken: cancellationToken, owner: _local.OsUser);

    private async Task<ClusterConfig> ConfigAsync(ConsulClient consul, CancellationToken cancellationToken) =>
        await ReadAsync<ClusterConfig>(consul, keys.Config, cancellationToken) ?? throw new BootstrapException($"no cluster config at '{keys.Config}'");

    private async Task RequireAsync(string what, IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(command, ToolTimeout, cancellationToken, _local.ToolEnvironment);
        if (!result.Succeeded) throw new BootstrapException($"{what} failed (exit {result.ExitCode}): {result.OutputTail(1500)}");
    }

    private static async Task<T?> ReadAsync<T>(ConsulClient consul, string key, CancellationToken cancellationToken) where T : class, IKvRecord
    {
        var entry = (await consul.GetAsync(key, null, cancellationToken)).Value;
        return entry is null ? null : KvJson.Parse<T>(entry);
    }
}
