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

    public static async Task<CommandResult> RunAsync(TimeSpan timeout, params string[] arguments)
    {
        var result = await Runner.RunAsync([Path.Combine(RepoRoot, "lab", "lab"), .. arguments], timeout);
        if (result.Succeeded) NoteDisturbance(arguments);
        return result;
    }

    /// <summary>What a test broke and has not repaired yet: node (and service) → the lab verb that repairs it.</summary>
    private static readonly Dictionary<string, string[]> Unrepaired = [];

    private static void NoteDisturbance(string[] arguments)
    {
        lock (Unrepaired)
        {
            switch (arguments)
            {
                case ["kill", var node]: Unrepaired[node] = ["revive", node]; break;
                case ["partition", var node]: Unrepaired.TryAdd(node, ["heal", node]); break;
                case ["revive" or "heal" or "join", var node]: Unrepaired.Remove(node); break;
                case ["stop-service", var node, var service]: Unrepaired.TryAdd($"{node} {service}", ["start-service", node, service]); break;
                case ["start-service", var node, var service]: Unrepaired.Remove($"{node} {service}"); break;
                case ["stop-watch", var node]: Unrepaired.TryAdd($"{node} watch", ["start-watch", node]); break;
                case ["start-watch" or "restart-watch", var node]: Unrepaired.Remove($"{node} watch"); break;
            }
        }
    }

    /// <summary>
    /// Repairs what an earlier test left broken because it failed before its own repair step, so that one failure
    /// is reported once instead of timing out every test after it.
    /// </summary>
    public static async Task RepairLeftoversAsync()
    {
        List<string[]> repairs;
        lock (Unrepaired) repairs = [.. Unrepaired.Values];
        foreach (var repair in repairs)
        {
            Console.Error.WriteLine($"lab: an earlier test left the lab disturbed; repairing with `lab/lab {string.Join(' ', repair)}`");
            await RunAsync(TimeSpan.FromMinutes(5), repair);
        }
    }

    public static Task<CommandResult> ExecAsync(string node, params string[] command) =>
        RunAsync(TimeSpan.FromSeconds(120), ["exec", node, .. command]);

    /// <summary>With variables in the environment of the command (a password there stays off every command line).</summary>
    public static Task<CommandResult> ExecAsync(string node, IReadOnlyDictionary<string, string> environment, params string[] command) =>
        Runner.RunAsync([Path.Combine(RepoRoot, "lab", "lab"), "exec", node, .. command], TimeSpan.FromSeconds(120), environment: environment);

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
