using System.Text.Json;
using HaManager.Watchers.Processes;
using Serilog.Core;

namespace HaManager.IntegrationTests.Support;

/// <summary>Drives lab/lab. Every command aimed at a lab address runs inside a node namespace.</summary>
public sealed class Lab
{
    public const string VirtualIp = "10.231.0.100";
    public const string VirtualIpCidr = "10.231.0.100/24";
    private static readonly ProcessRunner Runner = new(Logger.None);

    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Root { get; } = Environment.GetEnvironmentVariable("LAB_ROOT") ?? "/tmp/hamanager-lab";

    public static string Address(string node) => $"10.231.0.{10 + int.Parse(node[1..], System.Globalization.CultureInfo.InvariantCulture)}";

    public static string NodeFile(string node, string relative) => Path.Combine(Root, node, relative.TrimStart('/'));

    public static Task<CommandResult> RunAsync(TimeSpan timeout, params string[] arguments) =>
        Runner.RunAsync([Path.Combine(RepoRoot, "lab", "lab"), .. arguments], timeout);

    public static Task<CommandResult> ExecAsync(string node, params string[] command) =>
        RunAsync(TimeSpan.FromSeconds(120), ["exec", node, .. command]);

    public static async Task<CommandResult> RequireAsync(TimeSpan timeout, params string[] arguments)
    {
        var result = await RunAsync(timeout, arguments);
        if (!result.Succeeded) throw new InvalidOperationException($"lab/lab {string.Join(' ', arguments)} failed ({result.ExitCode}):\n{result.OutputTail(4000)}");
        return result;
    }

    public static async Task<JsonElement> StatusJsonAsync(string node = "n1")
    {
        var result = await ExecAsync(node, "hamanager", "status", "--json");
        if (result.ExitCode is not (0 or 4)) throw new InvalidOperationException($"status on {node} failed ({result.ExitCode}): {result.OutputTail()}");
        return JsonDocument.Parse(result.StandardOutput).RootElement.Clone();
    }

    /// <summary>Nodes whose eth0 carries the virtual IP, read with `ip addr` inside each namespace.</summary>
    public static async Task<IReadOnlyList<string>> VipHoldersAsync(params string[] nodes)
    {
        var holders = new List<string>();
        foreach (var node in nodes)
        {
            var result = await Runner.RunAsync(["ip", "-n", node, "-4", "-o", "addr", "show", "dev", "eth0"], TimeSpan.FromSeconds(10));
            if (result.StandardOutput.Contains($" {VirtualIp}/", StringComparison.Ordinal)) holders.Add(node);
        }

        return holders;
    }

    public static Task<CommandResult> ConsulKvAsync(string node, params string[] arguments) =>
        ExecAsync(node, ["consul", "kv", .. arguments]);

    public static string WatchLog(string node) => File.ReadAllText(NodeFile(node, "var/log/hamanager-watch.log"));

    public static int? Pid(string node, string service)
    {
        var path = NodeFile(node, $"run/hamanager/{service}.pid");
        return File.Exists(path) && int.TryParse(File.ReadAllText(path).Trim(), out var pid) ? pid : null;
    }

    public static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HaManager.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException("cannot find the repository root (HaManager.sln) above " + AppContext.BaseDirectory);
    }
}
