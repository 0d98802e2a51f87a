using System.Net;
using Npgsql;

namespace HaManager.Cli.Drill;

/// <summary>
/// The drill's table in the application database, through the same endpoint as the writer (the pgbouncer on the
/// virtual IP): created fresh, checked for the acknowledged rows afterwards, dropped at the end. Each call opens its
/// own short-lived connection with short timeouts, and the checks retry: right after a failover the VIP may still move.
/// </summary>
public sealed class DrillDatabase(AppDatabaseEndpoint endpoint, DrillTable table)
{
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(500);

    public DrillTable Table => table;

    /// <summary>Short timeouts and no pool: a dead server must show up as an error within seconds, and every reconnect must really reconnect.</summary>
    public string ConnectionString { get; } = new NpgsqlConnectionStringBuilder
    {
        Host = endpoint.Host, Port = endpoint.Port, Database = endpoint.Database, Username = endpoint.User, Password = endpoint.Password,
        Pooling = false, Timeout = 2, CommandTimeout = 5, ApplicationName = "hamanager drill",
    }.ConnectionString;

    public async Task CreateAsync(CancellationToken cancellationToken)
    {
        await using var connection = NewConnection();
        await connection.OpenAsync(cancellationToken);
        await using var create = new NpgsqlCommand($"CREATE TABLE {table.Quoted} (id bigint PRIMARY KEY, server inet, at timestamptz NOT NULL DEFAULT now())", connection);
        await create.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Not opened yet; whoever opens it disposes it, also when opening fails.</summary>
    public NpgsqlConnection NewConnection() => new(ConnectionString);

    /// <summary>How many of the acknowledged rows are still there, and which server answered (the current primary through the VIP).</summary>
    public Task<RowCheck> CheckAsync(IReadOnlyList<long> acknowledged, TimeSpan patience, CancellationToken cancellationToken) =>
        RetryAsync(patience, async connection =>
        {
            await using var count = new NpgsqlCommand($"SELECT host(inet_server_addr()), (SELECT count(*) FROM {table.Quoted} WHERE id = ANY($1))", connection);
            count.Parameters.AddWithValue(acknowledged.ToArray());
            await using var reader = await count.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var server = reader.IsDBNull(0) ? null : IPAddress.Parse(reader.GetString(0));
            var found = reader.GetInt64(1);
            return new RowCheck(acknowledged.Count, found, server);
        }, cancellationToken);

    /// <summary>Drops the table; never cancelled by the operator's Ctrl-C, since a drill must not leave its table behind.</summary>
    public Task DropAsync(TimeSpan patience) =>
        RetryAsync(patience, async connection =>
        {
            await using var drop = new NpgsqlCommand($"DROP TABLE IF EXISTS {table.Quoted}", connection);
            await drop.ExecuteNonQueryAsync(CancellationToken.None);
            return true;
        }, CancellationToken.None);

    private async Task<T> RetryAsync<T>(TimeSpan patience, Func<NpgsqlConnection, Task<T>> action, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            try
            {
                await using var connection = NewConnection();
                await connection.OpenAsync(cancellationToken);
                return await action(connection);
            }
            catch (Exception e) when (DrillWriter.IsClientError(e) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(RetryPause, cancellationToken);
            }
        }
    }
}

/// <param name="Server">The server that answered the check (null when it did not say).</param>
public sealed record RowCheck(long Acknowledged, long Found, IPAddress? Server)
{
    public long Lost => Acknowledged - Found;
}
