using HaManager.Cluster.Settings;
using HaManager.Tests.Support;
using HaManager.Watchers.Processes;
using HaManager.Watchers.Services;

namespace HaManager.Tests.Watchers.Processes;

/// <summary>Credentials in hamanager's own environment never reach the tools and daemons it starts.</summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class ChildEnvironmentTests : IDisposable
{
    private const string Secret = "pgpassword-from-the-operators-shell";
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _dir = new();
    private readonly TestLogger _log = new();

    public ChildEnvironmentTests() => Environment.SetEnvironmentVariable("PGPASSWORD", Secret);

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("PGPASSWORD", null);
        _dir.Dispose();
    }

    [Fact]
    public void Withheld_NamesThePostgresAndConsulCredentials()
    {
        ChildEnvironment.Withheld.Should().BeEquivalentTo("PGPASSWORD", "CONSUL_HTTP_TOKEN", "CONSUL_HTTP_TOKEN_FILE", "CONSUL_HTTP_AUTH");
        ChildEnvironment.ToRemove(new Dictionary<string, string> { ["PGPASSFILE"] = "/x" }).Should().BeEquivalentTo(ChildEnvironment.Withheld);
    }

    [Fact]
    public async Task ProcessRunner_InheritedPgPassword_IsNotPassedOnButPgPassFileIs()
    {
        var result = await new ProcessRunner(_log.Logger).RunAsync(["/usr/bin/env"], Generous, environment: new Dictionary<string, string> { ["PGPASSFILE"] = "/var/lib/hamanager/pgpass" });

        result.StandardOutput.Should().NotContain(Secret).And.NotContain("PGPASSWORD=").And.Contain("PGPASSFILE=/var/lib/hamanager/pgpass\n");
        result.StandardOutput.Should().Contain("PATH=", "the rest of the environment is still inherited");
    }

    [Fact]
    public async Task ProcessRunner_CallerSetsAWithheldNameItself_TheOneProcessThatNeedsItGetsIt()
    {
        var result = await new ProcessRunner(_log.Logger).RunAsync(["/usr/bin/env"], Generous, environment: new Dictionary<string, string> { ["PGPASSWORD"] = "explicit" });

        result.StandardOutput.Should().Contain("PGPASSWORD=explicit\n").And.NotContain(Secret);
    }

    [Fact]
    public async Task ProcessServiceManager_Daemon_DoesNotInheritThePassword()
    {
        var dump = _dir.File("env");
        var options = new ServiceOptions
        {
            Start = ["/bin/sh", "-c", $"env > {dump}.tmp && mv {dump}.tmp {dump}; sleep 1"],
            PidFile = _dir.File("service.pid"), LogFile = _dir.File("service.log"), StopTimeoutSeconds = 5,
        };

        await new ProcessServiceManager(_log.Logger).StartAsync("envdump", options);

        var deadline = DateTime.UtcNow + Generous;
        while (!File.Exists(dump) && DateTime.UtcNow < deadline) await Task.Delay(20);
        var text = await File.ReadAllTextAsync(dump);
        text.Should().NotContain(Secret).And.NotContain("PGPASSWORD=").And.Contain("PATH=");
    }
}

/// <summary>Tests that change this process's environment run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection
{
    public const string Name = "process environment";
}
