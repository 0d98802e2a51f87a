using System.Net;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Model;
using Npgsql;
using Serilog;

namespace HaManager.Api.Status;

/// <summary>
/// Asks Consul for its members and each node's PostgreSQL (2 s connect timeout) for its role and lag, as the read-only
/// monitoring role (<see cref="PostgresProbeLogin"/>): nothing here needs a superuser.
/// </summary>
/// <param name="pooled">Keep connections open between probes: the daemon asks every second, the CLI once.</param>
/// <param name="logger">Told once (debug) when the secrets record has no monitoring password and the probes fall back to repmgr.</param>
public sealed class LiveClusterProbe(ConsulClient consul, bool pooled = false, ILogger? logger = null) : IClusterProbe
{
    private int _fallbackLogged;

    /// <summary>Where the fallback note goes; the CLI sets its own after the connection is opened.</summary>
    public ILogger? Logger { get; set; } = logger;

    public async Task<IReadOnlyDictionary<string, bool>> ConsulMembersAliveAsync(CancellationToken cancellationToken)
    {
        var members = await consul.AgentMembersAsync(cancellationToken);
        return members.ToDictionary(m => m.Name, m => m.Status == 1, StringComparer.Ordinal);
    }

    public async Task<IReadOnlyDictionary<string, bool>> RaftVotersAsync(CancellationToken cancellationToken)
    {
        try
        {
            var servers = await consul.RaftConfigurationAsync(stale: true, cancellationToken);
            return servers.ToDictionary(s => s.Node, s => s.Voter, StringComparer.Ordinal);
        }
        catch (ConsulException)
        {
            return new Dictionary<string, bool>();
        }
    }

    public async Task<PostgresProbeResult> ProbePostgresAsync(IPAddress address, int port, PostgresSecrets secrets, CancellationToken cancellationToken)
    {
        var login = PostgresProbeLogin.For(secrets);
        if (login.IsFallback && Interlocked.Exchange(ref _fallbackLogged, 1) == 0)
            Logger?.Debug("The secrets record has no monitor_password (written before the {Monitor} role existed): probing PostgreSQL as {User} until bootstrap is re-run on the primary",
                PostgresSecrets.MonitorUser, login.User);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = address.ToString(), Port = port, Username = login.User, Password = login.Password, Database = login.Database,
            Timeout = 2, CommandTimeout = 3, Pooling = pooled, ApplicationName = "hamanager status",
        };
        try
        {
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using (var recovery = new NpgsqlCommand("SELECT pg_is_in_recovery()", connection))
            {
                if ((bool)(await recovery.ExecuteScalarAsync(cancellationToken))!)
                {
                    await using var receiver = new NpgsqlCommand("SELECT sender_host FROM pg_stat_wal_receiver", connection);
                    var sender = await receiver.ExecuteScalarAsync(cancellationToken) as string;
                    return new PostgresProbeResult("standby", IPAddress.TryParse(sender, out var host) ? host : null, new Dictionary<string, long>());
                }
            }

            var lag = new Dictionary<string, long>(StringComparer.Ordinal);
            await using var replication = new NpgsqlCommand(
                "SELECT application_name, COALESCE(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn), 0)::bigint FROM pg_stat_replication", connection);
            await using var reader = await replication.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) lag[reader.GetString(0)] = reader.GetInt64(1);
            return new PostgresProbeResult("primary", null, lag);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            return PostgresProbeResult.Unreachable(e.Message);
        }
    }
}
