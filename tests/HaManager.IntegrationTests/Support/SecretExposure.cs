using System.Text;
using System.Text.Json;

namespace HaManager.IntegrationTests.Support;

/// <summary>
/// Where the cluster's generated PostgreSQL passwords must never appear: any process's argv (readable by every user
/// in /proc) and the nodes' logs. <see cref="CommandLineSampler"/> reads every process's command line every 50 ms.
/// </summary>
public static class SecretExposure
{
    /// <summary>Every *_password in <c>secrets/postgres</c>, read with the management token.</summary>
    public static async Task<IReadOnlyList<string>> PasswordsAsync()
    {
        var secrets = await Lab.ConsulKvAsync("n1", "get", "hamanager/secrets/postgres");
        if (!secrets.Succeeded) secrets = await Lab.ConsulKvAsync("n2", "get", "hamanager/secrets/postgres");
        var passwords = JsonDocument.Parse(secrets.StandardOutput).RootElement.EnumerateObject()
            .Where(p => p.Name.EndsWith("password", StringComparison.Ordinal) && p.Value.ValueKind == JsonValueKind.String)
            .Select(p => p.Value.GetString()!).Where(p => p.Length >= 16).ToList();
        passwords.Should().HaveCountGreaterThanOrEqualTo(2, "secrets/postgres holds the repmgr and application passwords");
        return passwords;
    }

    /// <summary>Log files of every node (and their bootstrap output) that contain one of the passwords.</summary>
    public static IReadOnlyList<string> LogsContaining(IReadOnlyList<string> passwords) =>
        Directory.EnumerateDirectories(Lab.Root, "n*")
            .SelectMany(node => Directory.Exists(Path.Combine(node, "var/log"))
                ? Directory.EnumerateFiles(Path.Combine(node, "var/log"), "*", SearchOption.AllDirectories)
                : [])
            .Where(file => passwords.Any(p => File.ReadAllText(file).Contains(p, StringComparison.Ordinal)))
            .ToList();
}

public sealed class CommandLineSampler : IAsyncDisposable
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public CommandLineSampler() => _loop = Task.Run(LoopAsync);

    public int Samples { get; private set; }

    public async Task<IReadOnlyCollection<string>> StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        lock (_seen) return [.. _seen];
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out _)) continue;
                try
                {
                    var bytes = File.ReadAllBytes(Path.Combine(dir, "cmdline"));
                    if (bytes.Length == 0) continue;
                    var line = Encoding.UTF8.GetString(bytes).Replace('\0', ' ').Trim();
                    lock (_seen) _seen.Add(line);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // The process ended between listing and reading.
                }
            }

            Samples++;
            try
            {
                await Task.Delay(50, _stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
