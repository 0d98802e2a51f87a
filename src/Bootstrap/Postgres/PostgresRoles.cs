using HaManager.Cluster.Model;
using Npgsql;

namespace HaManager.Bootstrap.Postgres;

/// <summary>Creates (or re-passwords) the repmgr and application roles and databases on the primary; idempotent.</summary>
public static class PostgresRoles
{
    public static async Task<IReadOnlyList<string>> EnsureAsync(string connectionString, PostgresSecrets secrets, SqlIdentifier appDatabase, SqlIdentifier appUser, CancellationToken cancellationToken)
    {
        var done = new List<string>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        // Identifiers are SqlIdentifier (plain lowercase) and passwords are URL-safe base64: nothing here needs escaping,
        // and DDL cannot take bind parameters.
        done.Add(await EnsureRoleAsync(connection, "repmgr", "SUPERUSER LOGIN REPLICATION", secrets.RepmgrPassword, cancellationToken));
        done.Add(await EnsureRoleAsync(connection, appUser.Value, "LOGIN", secrets.AppPassword, cancellationToken));
        done.Add(await EnsureDatabaseAsync(connection, "repmgr", "repmgr", cancellationToken));
        done.Add(await EnsureDatabaseAsync(connection, appDatabase.Value, appUser.Value, cancellationToken));
        return done;
    }

    private static async Task<string> EnsureRoleAsync(NpgsqlConnection connection, string role, string attributes, string password, CancellationToken cancellationToken)
    {
        var exists = await ExistsAsync(connection, "SELECT 1 FROM pg_roles WHERE rolname = $1", role, cancellationToken);
        var verb = exists ? "ALTER" : "CREATE";
        await using var command = new NpgsqlCommand($"{verb} ROLE {role} {attributes} PASSWORD '{password}'", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return exists ? $"role {role} updated" : $"role {role} created";
    }

    private static async Task<string> EnsureDatabaseAsync(NpgsqlConnection connection, string database, string owner, CancellationToken cancellationToken)
    {
        if (await ExistsAsync(connection, "SELECT 1 FROM pg_database WHERE datname = $1", database, cancellationToken)) return $"database {database} exists";
        await using var command = new NpgsqlCommand($"CREATE DATABASE {database} OWNER {owner}", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return $"database {database} created";
    }

    private static async Task<bool> ExistsAsync(NpgsqlConnection connection, string sql, string name, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue(name);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }
}
