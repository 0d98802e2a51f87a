using System.Globalization;
using HaManager.Cluster.Model;
using HaManager.Watchers.Files;
using HaManager.Watchers.Processes;
using HaManager.Watchers.Services;
using Serilog;

namespace HaManager.Watchers.Postgres;

/// <summary>
/// Brings an old primary back as a standby of the registered master: pg_rewind first (fast: it copies
/// only what diverged, and runs crash recovery itself after a kill -9), then standby.signal and the
/// upstream settings, then a start through the service manager (so PostgreSQL runs under its own unit,
/// never as a child of the watcher). If the rewind fails, the old data directory is kept aside and the
/// node is cloned afresh.
/// </summary>
public sealed class PostgresRejoin(PostgresLocal local, IServiceManager services, ProcessRunner runner, ILogger logger)
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromMinutes(10);

    public async Task<string> RejoinAsync(StandbyUpstream upstream, CancellationToken cancellationToken)
    {
        await services.StopAsync("postgresql", local.PostgresService, cancellationToken);
        // A master promoted moments ago has not finished its first checkpoint; pg_rewind reads the timeline
        // from the source's control file and would leave a standby that cannot start ("requested timeline
        // does not contain minimum recovery point"). A checkpoint first makes the control file current.
        await SqlOnUpstreamAsync(upstream, "CHECKPOINT", cancellationToken);
        var source = $"host={upstream.Host} port={upstream.Port.ToString(CultureInfo.InvariantCulture)} user=repmgr dbname=repmgr connect_timeout=5";
        var rewind = await runner.RunAsync(
            local.AsOsUser(local.Bin("pg_rewind"), $"--target-pgdata={local.DataDir}", $"--source-server={source}"),
            ToolTimeout, cancellationToken, local.ToolEnvironment);
        if (rewind.Succeeded)
        {
            await EnsureSlotOnUpstreamAsync(upstream, cancellationToken);
            await ConfigureStandbyAsync(upstream, cancellationToken);
            try
            {
                await services.StartAsync("postgresql", local.PostgresService, cancellationToken);
                await AfterStandbyStartAsync(cancellationToken);
                return $"rewound it (pg_rewind) and started it as a standby of {upstream.UpstreamNode}";
            }
            catch (ServiceException e)
            {
                logger.Warning("The rewound data directory did not start as a standby of {Node}; cloning afresh: {Reason}", upstream.UpstreamNode.Value, e.Message);
                return await RecloneAsync(upstream, cancellationToken);
            }
        }

        var ready = await runner.RunAsync([local.Bin("pg_isready"), "-h", upstream.Host.ToString(), "-p", upstream.Port.ToString(CultureInfo.InvariantCulture), "-t", "3"],
            TimeSpan.FromSeconds(10), cancellationToken);
        if (!ready.Succeeded)
            throw new InvalidOperationException($"pg_rewind failed and the registered master {upstream.UpstreamNode} ({upstream.Host}) does not answer; staying stopped until it does");

        logger.Warning("pg_rewind failed (exit {Exit}); cloning {Node}'s data afresh: {Output}", rewind.ExitCode, upstream.UpstreamNode.Value, rewind.OutputTail(800));
        return await RecloneAsync(upstream, cancellationToken);
    }

    /// <summary>The old data directory is kept aside (never deleted), a fresh clone takes its place.</summary>
    public async Task<string> RecloneAsync(StandbyUpstream upstream, CancellationToken cancellationToken)
    {
        await services.StopAsync("postgresql", local.PostgresService, cancellationToken);
        var aside = $"{local.DataDir}.old-{DateTime.UtcNow:yyyyMMddTHHmmss}";
        Directory.Move(local.DataDir, aside);
        Directory.CreateDirectory(local.DataDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Posix.ChownNoFollow(local.DataDir, local.OsUser);
        await CloneAsync(upstream.UpstreamNode, upstream.Host, upstream.Port, cancellationToken);
        await ConfigureStandbyAsync(upstream, cancellationToken);
        await services.StartAsync("postgresql", local.PostgresService, cancellationToken);
        await RegisterStandbyAsync(cancellationToken);
        await RestartRepmgrdAsync(cancellationToken);
        return $"cloned it afresh from {upstream.UpstreamNode} (the old data directory is kept at {aside})";
    }

    public async Task CloneAsync(NodeName master, System.Net.IPAddress host, int port, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(
            local.AsOsUser(local.Bin("repmgr"), "-f", local.RepmgrConfigFile, "-h", host.ToString(), "-p", port.ToString(CultureInfo.InvariantCulture),
                "-U", "repmgr", "-d", "repmgr", "standby", "clone", "--fast-checkpoint", "-F"),
            ToolTimeout, cancellationToken, local.ToolEnvironment);
        if (!result.Succeeded) throw new InvalidOperationException($"repmgr standby clone from {master} failed (exit {result.ExitCode}): {result.OutputTail(1500)}");
    }

    public async Task RegisterStandbyAsync(CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(local.AsOsUser(local.Bin("repmgr"), "-f", local.RepmgrConfigFile, "standby", "register", "-F"),
            ToolTimeout, cancellationToken, local.ToolEnvironment);
        if (!result.Succeeded) throw new InvalidOperationException($"repmgr standby register failed (exit {result.ExitCode}): {result.OutputTail(1500)}");
    }

    /// <summary>
    /// standby.signal plus primary_conninfo/primary_slot_name in postgresql.auto.conf. pg_rewind and clones
    /// copy the source's auto.conf, whose upstream settings are the source's own: they are replaced, every
    /// other line (an operator's ALTER SYSTEM) is kept.
    /// </summary>
    public async Task ConfigureStandbyAsync(StandbyUpstream upstream, CancellationToken cancellationToken)
    {
        var autoConf = Path.Combine(local.DataDir, "postgresql.auto.conf");
        var kept = File.Exists(autoConf)
            ? (await File.ReadAllLinesAsync(autoConf, cancellationToken)).Where(line => !IsUpstreamSetting(line)).ToList()
            : ["# Do not edit this file manually!", "# It will be overwritten by the ALTER SYSTEM command."];
        var content = string.Join('\n', kept) + "\n" + upstream.AutoConfLines;
        var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await AtomicFile.WriteAsync(autoConf, content, mode, cancellationToken: cancellationToken, owner: local.OsUser);
        await AtomicFile.WriteAsync(Path.Combine(local.DataDir, "standby.signal"), string.Empty, mode, cancellationToken: cancellationToken, owner: local.OsUser);
    }

    private static bool IsUpstreamSetting(string line)
    {
        var name = line.TrimStart().Split(['=', ' ', '\t'], 2)[0];
        return name.Equals("primary_conninfo", StringComparison.OrdinalIgnoreCase) || name.Equals("primary_slot_name", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The master normally created this node's slot when it was promoted; a master promoted otherwise may lack it.</summary>
    private Task EnsureSlotOnUpstreamAsync(StandbyUpstream upstream, CancellationToken cancellationToken)
    {
        var slot = upstream.SlotNameForSelf;
        return SqlOnUpstreamAsync(upstream,
            $"SELECT pg_create_physical_replication_slot('{slot}', true) WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = '{slot}')",
            cancellationToken);
    }

    /// <summary>One statement on the master as the repmgr user (its password from the 0600 passfile); a failure is logged, not thrown.</summary>
    private async Task SqlOnUpstreamAsync(StandbyUpstream upstream, string sql, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(
            local.AsOsUser(local.Bin("psql"), "-X", "-q", "-d", $"host={upstream.Host} port={upstream.Port.ToString(CultureInfo.InvariantCulture)} user=repmgr dbname=repmgr connect_timeout=5", "-c", sql),
            TimeSpan.FromSeconds(60), cancellationToken, local.ToolEnvironment);
        if (!result.Succeeded) logger.Warning("Could not run '{Sql}' on {Master}: {Output}", sql, upstream.UpstreamNode.Value, result.OutputTail(400));
    }

    private async Task AfterStandbyStartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RegisterStandbyAsync(cancellationToken);
        }
        catch (InvalidOperationException e)
        {
            // Only repmgr's own metadata is behind; replication itself is running.
            logger.Warning("Could not update repmgr's metadata after the rejoin: {Reason}", e.Message);
        }

        await RestartRepmgrdAsync(cancellationToken);
    }

    private async Task RestartRepmgrdAsync(CancellationToken cancellationToken)
    {
        // repmgrd was monitoring this node as a primary; start it fresh so it monitors a standby.
        if (await services.IsRunningAsync("repmgrd", local.RepmgrdService, cancellationToken))
            await services.RestartAsync("repmgrd", local.RepmgrdService, cancellationToken);
    }
}
