using Npgsql;

namespace HaManager.LabClient;

/// <summary>Checks that every acknowledged id is present; prints "acknowledged N present N missing N".</summary>
public static class Verifier
{
    public static async Task<int> RunAsync(string connectionString, string ackFile)
    {
        var acknowledged = File.ReadAllLines(ackFile).Where(l => l.Length > 0).Select(long.Parse).ToHashSet();
        var present = new HashSet<long>();
        await using var connection = await OpenAsync(connectionString);
        await using var select = new NpgsqlCommand($"SELECT id FROM {DrillTable.Name}", connection);
        await using var reader = await select.ExecuteReaderAsync();
        while (await reader.ReadAsync()) present.Add(reader.GetInt64(0));
        var missing = acknowledged.Where(id => !present.Contains(id)).Order().ToList();
        Console.Out.WriteLine($"acknowledged {acknowledged.Count} present {acknowledged.Count - missing.Count} missing {missing.Count}");
        if (missing.Count > 0) Console.Out.WriteLine("missing ids: " + string.Join(' ', missing.Take(50)));
        return missing.Count == 0 ? 0 : 1;
    }

    public static async Task<int> ExecAsync(string connectionString, string sql)
    {
        await using var connection = await OpenAsync(connectionString);
        await using var command = new NpgsqlCommand(sql, connection);
        Console.Out.WriteLine(await command.ExecuteScalarAsync());
        return 0;
    }

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Password = Environment.GetEnvironmentVariable("PGPASSWORD"), Pooling = false, Timeout = 5, CommandTimeout = 10 };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
