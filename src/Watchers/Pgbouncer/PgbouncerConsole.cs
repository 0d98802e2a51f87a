using System.Globalization;
using System.Net;
using HaManager.Watchers.Processes;

namespace HaManager.Watchers.Pgbouncer;

/// <summary>
/// One node's pgbouncer admin console (PAUSE, RESUME, SHOW DATABASES). The console speaks only the simple
/// query protocol, which Npgsql never uses, so this runs psql; the admin password reaches psql through
/// PGPASSWORD in that one process's environment, never argv or a log.
/// </summary>
public sealed class PgbouncerConsole(string node, IPAddress address, int port, string psql, string adminUser, string password, ProcessRunner runner)
{
    public string Node { get; } = node;

    /// <summary>Returns once every running transaction on the database has ended and its server connections are closed; new queries wait.</summary>
    public Task PauseAsync(string database, TimeSpan timeout, CancellationToken cancellationToken) =>
        RunAsync($"PAUSE {database}", timeout, cancellationToken);

    /// <summary>A database that is not paused counts as resumed.</summary>
    /// <returns>Whether it was paused.</returns>
    public async Task<bool> ResumeAsync(string database, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await RunAsync($"RESUME {database}", timeout, cancellationToken);
            return true;
        }
        catch (InvalidOperationException e) when (e.Message.Contains("not paused", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
    }

    /// <summary>The host pgbouncer sends the database's new server connections to (SHOW DATABASES: name|host|port|…).</summary>
    public async Task<string?> TargetHostAsync(string database, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var output = await RunAsync("SHOW DATABASES", timeout, cancellationToken);
        return output.Split('\n').Select(line => line.Split('|')).FirstOrDefault(f => f.Length > 1 && f[0] == database)?[1];
    }

    private async Task<string> RunAsync(string command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var conninfo = string.Create(CultureInfo.InvariantCulture,
            $"host={address} port={port} user={adminUser} dbname=pgbouncer connect_timeout={Math.Max(1, (int)Math.Min(timeout.TotalSeconds, 5))}");
        var environment = new Dictionary<string, string> { ["PGPASSWORD"] = password };
        CommandResult result;
        try
        {
            result = await runner.RunAsync([psql, "-X", "-q", "-tA", "-d", conninfo, "-c", command], timeout, cancellationToken, environment);
        }
        catch (CommandTimeoutException)
        {
            throw new TimeoutException($"pgbouncer on {Node} ({address}) did not complete {command} within {timeout.TotalSeconds:0.#} s");
        }

        if (!result.Succeeded) throw new InvalidOperationException($"pgbouncer on {Node} ({address}): {command} failed: {result.OutputTail(300)}");
        return result.StandardOutput;
    }
}
