namespace HaManager.IntegrationTests.Support;

/// <summary>
/// One 3-node lab for the whole integration collection. n2 and n3 bootstrap at the same time
/// (LAB_PARALLEL_JOIN=1), so every run also proves the bootstrap lock. Needs root: CI runs as root;
/// without it the tests fail with a clear message instead of skipping.
/// </summary>
public sealed class LabFixture : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        if (Environment.UserName != "root" && Environment.GetEnvironmentVariable("USER") != "root" && !IsRoot())
            throw new InvalidOperationException("the lab integration tests need root (network namespaces); run them as root, as CI does");
        await Lab.RunAsync(TimeSpan.FromMinutes(2), "down");
        Environment.SetEnvironmentVariable("LAB_PARALLEL_JOIN", "1");
        try
        {
            await Lab.RequireAsync(TimeSpan.FromMinutes(10), "up", "3");
        }
        finally
        {
            Environment.SetEnvironmentVariable("LAB_PARALLEL_JOIN", null);
        }
    }

    public async Task DisposeAsync()
    {
        if (Environment.GetEnvironmentVariable("HAMANAGER_LAB_KEEP") == "1") return;
        await Lab.RunAsync(TimeSpan.FromMinutes(2), "down");
    }

    private static bool IsRoot() => File.ReadAllLines("/proc/self/status").Any(l => l.StartsWith("Uid:", StringComparison.Ordinal) && l.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1] == "0");
}
