using HaManager.Cluster.Model;
using Npgsql;

namespace HaManager.Cli.Nodes;

/// <summary>
/// <see cref="IRepmgrRegistry"/> over one connection to the primary as the repmgr user. The password comes from
/// the KV secrets record straight into the connection (never argv, never a log line); the node's name and ids
/// are bound as parameters, never pasted into SQL.
/// </summary>
public sealed class NpgsqlRepmgrRegistry : IRepmgrRegistry
{
    /// <summary>A standby that reconnects at once can take its slot again between our two statements; a few tries settle it.</summary>
    private const int DropAttempts = 10;

    private static readonly TimeSpan DropRetryDelay = TimeSpan.FromMilliseconds(300);

    public async Task<RepmgrUnregistration> UnregisterAsync(PostgresMasterRecord primary, PostgresSecrets secrets, NodeName node, int? nodeId,
        CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = primary.Host.ToString(), Port = primary.Port, Username = "repmgr", Password = secrets.RepmgrPassword, Database = "repmgr",
            Timeout = 5, CommandTimeout = 15, Pooling = false,
        };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        var deleted = await DeleteNodeRowsAsync(connection, node, cancellationToken);
        var dropped = new List<string>();
        foreach (var id in deleted.Append(nodeId ?? 0).Where(id => id > 0).Distinct())
        {
            var slot = HaManager.Watchers.Postgres.StandbyUpstream.SlotName(id);
            if (await DropSlotAsync(connection, slot, cancellationToken)) dropped.Add(slot);
        }

        return new RepmgrUnregistration(deleted, dropped);
    }

    /// <summary>Other rows that name the node as their upstream lose that reference first (repmgr's foreign key).</summary>
    private static async Task<IReadOnlyList<int>> DeleteNodeRowsAsync(NpgsqlConnection connection, NodeName node, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var detach = new NpgsqlCommand(
                         "UPDATE repmgr.nodes SET upstream_node_id = NULL WHERE upstream_node_id IN (SELECT node_id FROM repmgr.nodes WHERE node_name = $1)",
                         connection, transaction))
        {
            detach.Parameters.AddWithValue(node.Value);
            await detach.ExecuteNonQueryAsync(cancellationToken);
        }

        var ids = new List<int>();
        await using (var delete = new NpgsqlCommand("DELETE FROM repmgr.nodes WHERE node_name = $1 RETURNING node_id", connection, transaction))
        {
            delete.Parameters.AddWithValue(node.Value);
            await using var reader = await delete.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) ids.Add(reader.GetInt32(0));
        }

        await transaction.CommitAsync(cancellationToken);
        return ids;
    }

    /// <returns>False when there was no such slot.</returns>
    private static async Task<bool> DropSlotAsync(NpgsqlConnection connection, string slot, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            // A removed node that still streams would otherwise hold the slot, and WAL would pile up on the primary for good.
            await using (var end = new NpgsqlCommand(
                             "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = $1 AND active_pid IS NOT NULL", connection))
            {
                end.Parameters.AddWithValue(slot);
                await end.ExecuteNonQueryAsync(cancellationToken);
            }

            try
            {
                await using var drop = new NpgsqlCommand(
                    "SELECT count(pg_drop_replication_slot(slot_name)) FROM pg_replication_slots WHERE slot_name = $1", connection);
                drop.Parameters.AddWithValue(slot);
                return Convert.ToInt64(await drop.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) > 0;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ObjectInUse && attempt < DropAttempts)
            {
                await Task.Delay(DropRetryDelay, cancellationToken);
            }
        }
    }
}
