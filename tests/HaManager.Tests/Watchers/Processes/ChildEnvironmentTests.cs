using HaManager.Cluster.Settings;
using HaManager.Tests.Support;
using HaManager.Watchers.Processes;
using HaManager.Watchers.Services;

namespace HaManager.Tests.Watchers.Processes;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection
{
    public const string Name = "this process's environment";
}

/// <summary>
/// An operator's CONSUL_HTTP_TOKEN (or a PGPASSWORD) in hamanager's environment reaches no service or tool it starts.
/// These tests set the variables in this test process, so they run alone.
/// </summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class ChildEnvironmentTests : IDisposable
{
    private readonly TestLogger _log = new();
    private readonly TempDirectory _dir = new();

    public ChildEnvironmentTests()
    {
        foreach (var name in ChildEnvironment.Withheld) Environment.SetEnvironmentVariable(name, "secret-" + name);
    }

    public void Dispose()
    {
        foreach (var name in ChildEnvironment.Withheld) Environment.SetEnvironmentVariable(name, null);
        _dir.Dispose();
    }

    [Fact]
    public async Task ProcessRunner_WithholdsCredentials_ButPassesWhatTheCommandIsGiven()
    {
        var result = await new ProcessRunner(_log.Logger).RunAsync(["/usr/bin/env"], TimeSpan.FromSeconds(30),
            environment: new Dictionary<string, string> { ["PGPASSFILE"] = "/var/lib/hamanager/pgpass" });

        result.StandardOutput.Should().NotContain("secret-");
        result.StandardOutput.Should().Contain("PGPASSFILE=/var/lib/hamanager/pgpass\n");
        result.StandardOutput.Should().Contain("PATH=", "the rest of the environment is inherited");
    }

    [Fact]
    public async Task ProcessServiceManager_StartsServicesWithoutCredentials()
    {
        var output = _dir.File("env.txt");
        var service = new ServiceOptions
        {
            Start = ["/bin/sh", "-c", $"env > {output}; sleep 30"],
            PidFile = _dir.File("svc.pid"),
            LogFile = _dir.File("svc.log"),
            StopTimeoutSeconds = 5,
        };
        var manager = new ProcessServiceManager(_log.Logger);
        await manager.StartAsync("envtest", service, CancellationToken.None);
        try
        {
            await Eventually.WaitAsync(() => File.Exists(output) && File.ReadAllText(output).Contains("PATH=", StringComparison.Ordinal),
                "the service wrote its environment", TimeSpan.FromSeconds(10));
            File.ReadAllText(output).Should().NotContain("secret-");
        }
        finally
        {
            await manager.StopAsync("envtest", service, CancellationToken.None);
        }
    }
}
