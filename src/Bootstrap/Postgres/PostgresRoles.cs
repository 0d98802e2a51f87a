using HaManager.Cluster.Model;
using Npgsql;

namespace HaManager.Bootstrap.Postgres;

/// <summary>Creates (or re-passwords) the repmgr, application and monitoring roles and the databases on the primary; idempotent.</summary>
public static class PostgresRoles
{
    /// <summary>repmgr (clone, register, rewind, its metadata) needs a superuser; nothing else gets one.</summary>
    public const string RepmgrAttributes = "SUPERUSER LOGIN REPLICATION";

    public const string AppAttributes = "LOGIN";

    /// <summary>Read-only probes (`status`, the node API): logs in, reads statistics through pg_monitor, can change nothing.</summary>
    public const string MonitorAttributes = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS";

    public static async Task<IReadOnlyList<string>> EnsureAsync(string connectionString, PostgresSecrets secrets, SqlIdentifier appDatabase, SqlIdentifier appUser, CancellationToken cancellationToken)
    {
        var done = new List<string>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        foreach (var statement in Statements(secrets, appUser, await ExistingRolesAsync(connection, secrets, appUser, cancellationToken)))
        {
            await using var command = new NpgsqlCommand(statement.Sql, connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
            if (statement.Done is not null) done.Add(statement.Done);
        }

        done.Add(await EnsureDatabaseAsync(connection, "repmgr", "repmgr", cancellationToken));
        done.Add(await EnsureDatabaseAsync(connection, appDatabase.Value, appUser.Value, cancellationToken));
        return done;
    }

    /// <param name="Done">What to report once it ran (null: part of the statement before it).</param>
    public sealed record Statement(string Sql, string? Done)
    {
        /// <summary>Never the SQL: it carries a password verifier.</summary>
        public override string ToString() => Done ?? "(statement)";
    }

    /// <summary>
    /// The role statements, in order. Identifiers are SqlIdentifier (plain lowercase) or constants; passwords go as SCRAM
    /// verifiers (<see cref="ScramVerifier"/>), never in clear: DDL cannot take bind parameters, and the statement may be logged.
    /// </summary>
    public static IReadOnlyList<Statement> Statements(PostgresSecrets secrets, SqlIdentifier appUser, IReadOnlySet<string> existing)
    {
        var statements = new List<Statement>
        {
            Role("repmgr", RepmgrAttributes, secrets.RepmgrPassword, existing),
            Role(appUser.Value, AppAttributes, secrets.AppPassword, existing),
        };
        if (secrets.MonitorPassword is { } monitor)
        {
            statements.Add(Role(PostgresSecrets.MonitorUser, MonitorAttributes, monitor, existing));
            // GRANT of a membership already held is a notice, not an error: safe on every re-run.
            statements.Add(new Statement($"GRANT pg_monitor TO {PostgresSecrets.MonitorUser}", null));
            statements.Add(new Statement($"ALTER ROLE {PostgresSecrets.MonitorUser} SET default_transaction_read_only = on", null));
        }

        return statements;
    }

    private static Statement Role(string role, string attributes, string password, IReadOnlySet<string> existing)
    {
        var exists = existing.Contains(role);
        return new Statement($"{(exists ? "ALTER" : "CREATE")} ROLE {role} {attributes} PASSWORD '{ScramVerifier.Compute(password)}'",
            exists ? $"role {role} updated" : $"role {role} created");
    }

    private static async Task<IReadOnlySet<string>> ExistingRolesAsync(NpgsqlConnection connection, PostgresSecrets secrets, SqlIdentifier appUser, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT rolname FROM pg_roles WHERE rolname = ANY($1)", connection);
        command.Parameters.AddWithValue(new[] { "repmgr", appUser.Value, PostgresSecrets.MonitorUser });
        var existing = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) existing.Add(reader.GetString(0));
        return existing;
    }

    private static async Task<string> EnsureDatabaseAsync(NpgsqlConnection connection, string database, string owner, CancellationToken cancellationToken)
    {
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection);
        exists.Parameters.AddWithValue(database);
        if (await exists.ExecuteScalarAsync(cancellationToken) is not null) return $"database {database} exists";
        await using var command = new NpgsqlCommand($"CREATE DATABASE {database} OWNER {owner}", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return $"database {database} created";
    }
}
