using Npgsql;
using NpgsqlTypes;

namespace HaManager.Watchers.Postgres;

/// <summary>The local PostgreSQL over its Unix socket, as the postgres superuser (root is mapped to it by pg_ident.conf).</summary>
public sealed class PostgresInstance(PostgresLocal local) : IPostgresInstance
{
    /// <summary>A standby that has not replied for this long is not counted as streaming (wal_receiver_status_interval is 1 s).</summary>
    public static readonly TimeSpan StandbyFreshness = TimeSpan.FromSeconds(3);

    private const string StateQuery = """
        SELECT pg_is_in_recovery(),
               CASE WHEN pg_is_in_recovery() THEN GREATEST(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()) ELSE pg_current_wal_lsn() END,
               CASE WHEN pg_is_in_recovery() THEN current_setting('primary_conninfo') END,
               (SELECT status FROM pg_stat_wal_receiver LIMIT 1),
               (SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming' AND reply_time > now() - make_interval(secs => @fresh))::int
        """;

    public async Task<PostgresState> ReadStateAsync(CancellationToken cancellationToken)
    {
        // A pooled connection left over from before a PostgreSQL restart fails once: one retry on a fresh one.
        var state = await TryReadStateAsync(cancellationToken);
        return state.Answered ? state : await TryReadStateAsync(cancellationToken);
    }

    private async Task<PostgresState> TryReadStateAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenAsync(TimeSpan.FromSeconds(2), cancellationToken, pooled: true);
            await using var command = new NpgsqlCommand(StateQuery, connection) { CommandTimeout = 3 };
            command.Parameters.AddWithValue("fresh", StandbyFreshness.TotalSeconds);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var inRecovery = reader.GetBoolean(0);
            ulong? lsn = reader.IsDBNull(1) ? null : (ulong)reader.GetFieldValue<NpgsqlLogSequenceNumber>(1);
            var conninfo = reader.IsDBNull(2) ? null : reader.GetString(2);
            var receiver = reader.IsDBNull(3) ? null : reader.GetString(3);
            return new PostgresState(true, inRecovery, lsn, HostOf(conninfo), receiver, reader.GetInt32(4));
        }
        catch (Exception e) when (IsUnavailable(e) && !cancellationToken.IsCancellationRequested)
        {
            return PostgresState.NotAnswering;
        }
    }

    public async Task PromoteAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(TimeSpan.FromSeconds(3), cancellationToken);
        await using var command = new NpgsqlCommand("SELECT pg_promote(true, 30)", connection) { CommandTimeout = 40 };
        if (await command.ExecuteScalarAsync(cancellationToken) is not true)
            throw new InvalidOperationException("pg_promote() did not complete the promotion within 30 s");
    }

    public async Task EnsureSlotsAsync(IReadOnlyCollection<string> slotNames, CancellationToken cancellationToken)
    {
        if (slotNames.Count == 0) return;
        await using var connection = await OpenAsync(TimeSpan.FromSeconds(3), cancellationToken);
        foreach (var slot in slotNames)
        {
            await using var command = new NpgsqlCommand(
                "SELECT pg_create_physical_replication_slot(@slot, true) WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = @slot)", connection);
            command.Parameters.AddWithValue("slot", slot);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public async Task SetUpstreamAsync(StandbyUpstream upstream, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(TimeSpan.FromSeconds(3), cancellationToken);
        // ALTER SYSTEM takes no parameters: the values are literals, quoted by the one quoting rule for them.
        await ExecuteAsync(connection, $"ALTER SYSTEM SET primary_conninfo = {StandbyUpstream.ConfString(upstream.Conninfo)}", cancellationToken);
        await ExecuteAsync(connection, $"ALTER SYSTEM SET primary_slot_name = {StandbyUpstream.ConfString(upstream.SlotNameForSelf)}", cancellationToken);
        await ExecuteAsync(connection, "SELECT pg_reload_conf()", cancellationToken);
    }

    public async Task CheckpointAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(TimeSpan.FromSeconds(3), cancellationToken);
        await using var command = new NpgsqlCommand("CHECKPOINT", connection) { CommandTimeout = 120 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task ClearUpstreamAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(TimeSpan.FromSeconds(3), cancellationToken);
        await ExecuteAsync(connection, "ALTER SYSTEM RESET primary_conninfo", cancellationToken);
        await ExecuteAsync(connection, "ALTER SYSTEM RESET primary_slot_name", cancellationToken);
        await ExecuteAsync(connection, "SELECT pg_reload_conf()", cancellationToken);
    }

    /// <summary>The host in a conninfo string ("host=10.0.0.1 port=…"); null when there is none.</summary>
    public static string? HostOf(string? conninfo)
    {
        if (string.IsNullOrEmpty(conninfo)) return null;
        foreach (var word in conninfo.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (word.StartsWith("host=", StringComparison.Ordinal)) return word["host=".Length..].Trim('\'');
        }

        return null;
    }

    public static bool IsUnavailable(Exception e) =>
        e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException or IOException or OperationCanceledException or InvalidOperationException;

    /// <param name="pooled">
    /// The state is read several times a second (failure detector, fencer, VIP tracking): a kept-open
    /// connection costs PostgreSQL nothing, a new one a backend fork and an authentication each time.
    /// </param>
    private async Task<NpgsqlConnection> OpenAsync(TimeSpan timeout, CancellationToken cancellationToken, bool pooled = false)
    {
        var builder = new NpgsqlConnectionStringBuilder(local.SuperuserConnectionString())
        {
            Timeout = Math.Max(1, (int)timeout.TotalSeconds),
            ApplicationName = "hamanager",
            Pooling = pooled,
            MaxPoolSize = 3,
            ConnectionIdleLifetime = 60,
        };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
