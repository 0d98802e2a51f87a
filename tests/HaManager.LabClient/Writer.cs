using System.Diagnostics;
using Npgsql;

namespace HaManager.LabClient;

/// <summary>
/// Inserts numbered rows one at a time into a table it creates afresh, and appends each acknowledged id to the ack file (flushed),
/// retrying on a new connection after any failure, until the stop file appears or time runs out.
/// Prints one line per outage ("outage START END", Unix seconds): the last acknowledged write before it and the first after it,
/// so a write that hangs until its timeout counts as part of the gap, not only the errors that follow; a write that
/// succeeds more than a second after the previous one is reported as an outage too.
/// </summary>
public static class Writer
{
    private const double StallCountsAsGap = 1.0;

    /// <summary>Unix time in seconds, so outages line up with the moment a test or benchmark killed a node.</summary>
    private static double Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

    public static async Task<int> RunAsync(string connectionString, string ackFile, string stopFile, int maxSeconds)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Password = Environment.GetEnvironmentVariable("PGPASSWORD"), Pooling = false, Timeout = 2, CommandTimeout = 5 };
        await using var acks = new StreamWriter(ackFile, append: false) { AutoFlush = true };
        var clock = Stopwatch.StartNew();
        long next = 1;
        double? outageStart = null;
        double? lastAck = null; // nothing counts as a gap before the first acknowledged write
        NpgsqlConnection? connection = null;
        while (!File.Exists(stopFile) && clock.Elapsed.TotalSeconds < maxSeconds)
        {
            try
            {
                if (connection is null)
                {
                    connection = new NpgsqlConnection(builder.ConnectionString);
                    await connection.OpenAsync();
                    // A fresh table per run: rows left by an earlier run would vouch for this run's lost writes (ids restart at 1).
                    var fresh = lastAck is null ? $"DROP TABLE IF EXISTS {DrillTable.Name}; " : string.Empty;
                    await using var create = new NpgsqlCommand($"{fresh}CREATE TABLE IF NOT EXISTS {DrillTable.Name} (id bigint PRIMARY KEY, at timestamptz DEFAULT now())", connection);
                    await create.ExecuteNonQueryAsync();
                }

                await using var insert = new NpgsqlCommand($"INSERT INTO {DrillTable.Name} (id) VALUES ($1) ON CONFLICT (id) DO NOTHING", connection);
                insert.Parameters.AddWithValue(next);
                await insert.ExecuteNonQueryAsync();
                await acks.WriteLineAsync(next.ToString(System.Globalization.CultureInfo.InvariantCulture));
                var acked = Now();
                // A write that stalls for a second without failing (a paused pgbouncer, a hung connection) is a gap too.
                if (lastAck is { } previous && (outageStart is not null || acked - previous > StallCountsAsGap))
                {
                    Console.Out.WriteLine(FormattableString.Invariant($"outage {outageStart ?? previous:0.000} {acked:0.000}"));
                }

                outageStart = null;

                lastAck = acked;
                next++;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException or InvalidOperationException)
            {
                outageStart ??= lastAck ?? Now();
                Console.Error.WriteLine(FormattableString.Invariant($"{Now():0.000} write {next} failed: {e.Message}"));
                if (connection is not null) await connection.DisposeAsync();
                connection = null;
                await Task.Delay(100);
            }
        }

        if (outageStart is { } open) Console.Out.WriteLine(FormattableString.Invariant($"outage {open:0.000} never-ended"));
        Console.Out.WriteLine($"acknowledged {next - 1}");
        if (connection is not null) await connection.DisposeAsync();
        return 0;
    }
}
