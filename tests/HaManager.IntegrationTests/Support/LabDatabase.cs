using System.Diagnostics;
using System.Text.Json;
using HaManager.Watchers.Processes;

namespace HaManager.IntegrationTests.Support;

/// <summary>Database helpers for lab tests: every client runs inside a node namespace via lab/lab exec.</summary>
public static class LabDatabase
{
    public const string ViaVip = "Host=10.231.0.100;Port=6432;Username=manager;Database=manager";

    /// <summary>
    /// The client from its own build output (…/HaManager.LabClient/bin/CONFIG/TFM/): a copy in this test
    /// project's folder lacks assemblies that this project takes from the ASP.NET Core shared framework.
    /// </summary>
    public static string Client { get; } = Path.Combine(
        AppContext.BaseDirectory.Replace("HaManager.IntegrationTests", "HaManager.LabClient", StringComparison.Ordinal), "HaManager.LabClient");

    public static string ViaLocalPgbouncer => "Host=127.0.0.1;Port=6432;Username=manager;Database=manager";

    public static async Task<string> AppPasswordAsync()
    {
        var secrets = await Lab.ConsulKvAsync("n1", "get", "hamanager/secrets/postgres");
        if (!secrets.Succeeded) secrets = await Lab.ConsulKvAsync("n2", "get", "hamanager/secrets/postgres");
        return JsonDocument.Parse(secrets.StandardOutput).RootElement.GetProperty("app_password").GetString()!;
    }

    /// <summary>psql as the postgres superuser on a node's own PostgreSQL, over its socket (no pgbouncer in between).</summary>
    public static Task<CommandResult> LocalSqlAsync(string node, string sql) =>
        Lab.ExecAsync(node, "/usr/lib/postgresql/15/bin/psql", "-h", Lab.NodeFile(node, "run/postgresql"), "-U", "postgres", "-d", "manager", "-tAX", "-c", sql);

    public static async Task<string> MasterAsync(string observer)
    {
        var result = await Lab.ConsulKvAsync(observer, "get", "hamanager/postgres/master");
        return result.Succeeded ? JsonDocument.Parse(result.StandardOutput).RootElement.GetProperty("node").GetString()! : string.Empty;
    }

    public static Process StartWriter(string node, string connection, string password, string ackFile, string stopFile, int maxSeconds, string table = "drill")
    {
        var start = new ProcessStartInfo(Path.Combine(Lab.RepoRoot, "lab", "lab"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The password goes through the environment (ip netns exec keeps it), never the command line, where ps shows it.
        start.Environment["PGPASSWORD"] = password;
        start.Environment["LABCLIENT_TABLE"] = table;
        foreach (var argument in new[] { "exec", node, Client, "write", connection, ackFile, stopFile, maxSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(argument);
        return Process.Start(start)!;
    }

    public static Task<CommandResult> VerifyAsync(string node, string connection, string password, string ackFile, string table = "drill") =>
        Lab.ExecAsync(node, new Dictionary<string, string> { ["PGPASSWORD"] = password, ["LABCLIENT_TABLE"] = table }, Client, "verify", connection, ackFile);

    public static async Task<JsonElement> HealthyStatusAsync(string node, TimeSpan timeout)
    {
        await Lab.RepairLeftoversAsync();
        return await Eventually.WaitAsync(async () =>
        {
            var result = await Lab.ExecAsync(node, "hamanager", "status", "--json");
            return (result.ExitCode, Json: result.ExitCode is 0 or 4 ? JsonDocument.Parse(result.StandardOutput).RootElement.Clone() : default, Text: result.StandardOutput);
        }, r => r.ExitCode == 0, $"a healthy cluster as {node} sees it", timeout) is var healthy ? healthy.Json : default;
    }
}
