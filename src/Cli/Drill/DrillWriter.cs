using System.Globalization;
using System.Net;
using Npgsql;

namespace HaManager.Cli.Drill;

/// <summary>
/// The drill's client: inserts numbered rows one at a time and records each acknowledgement with the server that
/// took it (<c>RETURNING inet_server_addr()</c>). After any failure it drops the connection, counts a client error
/// and reconnects, as an application would. Every attempt gets a new id, so a write whose outcome the client never
/// learned cannot be mistaken for an acknowledged one. Outages are reported once each (first failure, recovery).
/// </summary>
public sealed class DrillWriter(DrillDatabase database, DrillMeasurement measurement, Func<TimeSpan> clock, Action<string> print)
{
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(100);

    /// <summary>What a client sees when its server, pgbouncer or the network goes away.</summary>
    public static bool IsClientError(Exception e) => e is NpgsqlException or TimeoutException or IOException or InvalidOperationException;

    /// <summary>Writes until <paramref name="stop"/> is cancelled; a write in flight then still completes (within the command timeout), so its acknowledgement is not lost.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        long next = 1;
        var failures = 0;
        NpgsqlConnection? connection = null;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var id = next++;
                try
                {
                    if (connection is null)
                    {
                        connection = database.NewConnection();
                        await connection.OpenAsync(CancellationToken.None);
                    }

                    await using var insert = new NpgsqlCommand($"INSERT INTO {database.Table.Quoted} (id, server) VALUES ($1, inet_server_addr()) RETURNING host(inet_server_addr())", connection);
                    insert.Parameters.AddWithValue(id);
                    var server = await insert.ExecuteScalarAsync(CancellationToken.None) is string text ? IPAddress.Parse(text) : null;
                    measurement.Acknowledged(id, server, clock());
                    if (failures > 0) print(string.Create(CultureInfo.InvariantCulture, $"writes acknowledged again (by {server?.ToString() ?? "?"}) after {failures} failed attempt(s)"));
                    failures = 0;
                }
                catch (Exception e) when (IsClientError(e))
                {
                    measurement.Failed();
                    if (failures++ == 0) print($"write {id} failed: {e.Message}");
                    if (connection is not null) await connection.DisposeAsync();
                    connection = null;
                    try
                    {
                        await Task.Delay(RetryPause, stop);
                    }
                    catch (OperationCanceledException)
                    {
                        // Stopping: nothing more to write.
                    }
                }
            }
        }
        finally
        {
            if (connection is not null) await connection.DisposeAsync();
        }
    }
}
