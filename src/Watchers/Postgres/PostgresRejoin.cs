using HaManager.Cluster.Model;
using HaManager.Watchers.Processes;
using HaManager.Watchers.Services;
using Serilog;

namespace HaManager.Watchers.Postgres;

/// <summary>
/// Brings an old primary back as a standby of the registered master: `repmgr node rejoin
/// --force-rewind` first (fast: rewinds only what diverged); if that fails, the old data directory
/// is kept aside and the node is cloned afresh.
/// </summary>
public sealed class PostgresRejoin(PostgresLocal local, IServiceManager services, ProcessRunner runner, ILogger logger)
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromMinutes(10);

    public async Task<string> RejoinAsync(PostgresMasterRecord master, CancellationToken cancellationToken)
    {
        var conninfo = $"host={master.Host} port={master.Port} user=repmgr dbname=repmgr connect_timeout=5";
        var rejoin = await runner.RunAsync(
            local.AsOsUser(local.Bin("repmgr"), "-f", local.RepmgrConfigFile, "node", "rejoin", "-d", conninfo, "--force-rewind", "--verbose"),
            ToolTimeout, cancellationToken, local.ToolEnvironment);
        if (rejoin.Succeeded && await services.IsRunningAsync("postgresql", local.PostgresService, cancellationToken))
        {
            await RestartRepmgrdAsync(cancellationToken);
            return $"rejoined it as a standby of {master.Node} (repmgr node rejoin --force-rewind)";
        }

        var ready = await runner.RunAsync([local.Bin("pg_isready"), "-h", master.Host.ToString(), "-p", master.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-t", "3"],
            TimeSpan.FromSeconds(10), cancellationToken);
        if (!ready.Succeeded)
            throw new InvalidOperationException($"repmgr node rejoin failed and the registered master {master.Node} ({master.Host}) does not answer; staying stopped until it does");

        logger.Warning("repmgr node rejoin failed (exit {Exit}); cloning {Node}'s data afresh: {Output}", rejoin.ExitCode, master.Node.Value, rejoin.OutputTail(800));
        await services.StopAsync("postgresql", local.PostgresService, cancellationToken);
        var aside = $"{local.DataDir}.old-{DateTime.UtcNow:yyyyMMddTHHmmss}";
        Directory.Move(local.DataDir, aside);
        Directory.CreateDirectory(local.DataDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Processes.Posix.ChownNoFollow(local.DataDir, local.OsUser);
        await CloneAsync(master, cancellationToken);
        await services.StartAsync("postgresql", local.PostgresService, cancellationToken);
        await RegisterStandbyAsync(cancellationToken);
        await RestartRepmgrdAsync(cancellationToken);
        return $"cloned it afresh from {master.Node} (the old data directory is kept at {aside})";
    }

    public async Task CloneAsync(PostgresMasterRecord master, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(
            local.AsOsUser(local.Bin("repmgr"), "-f", local.RepmgrConfigFile, "-h", master.Host.ToString(), "-p", master.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-U", "repmgr", "-d", "repmgr", "standby", "clone", "--fast-checkpoint", "-F"),
            ToolTimeout, cancellationToken, local.ToolEnvironment);
        if (!result.Succeeded) throw new InvalidOperationException($"repmgr standby clone from {master.Node} failed (exit {result.ExitCode}): {result.OutputTail(1500)}");
    }

    public async Task RegisterStandbyAsync(CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(local.AsOsUser(local.Bin("repmgr"), "-f", local.RepmgrConfigFile, "standby", "register", "-F"),
            ToolTimeout, cancellationToken, local.ToolEnvironment);
        if (!result.Succeeded) throw new InvalidOperationException($"repmgr standby register failed (exit {result.ExitCode}): {result.OutputTail(1500)}");
    }

    private async Task RestartRepmgrdAsync(CancellationToken cancellationToken)
    {
        // repmgrd was monitoring this node as a primary; start it fresh so it monitors a standby.
        if (await services.IsRunningAsync("repmgrd", local.RepmgrdService, cancellationToken))
            await services.RestartAsync("repmgrd", local.RepmgrdService, cancellationToken);
    }
}
