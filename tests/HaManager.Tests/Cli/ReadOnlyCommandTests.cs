using System.Text.Json;
using HaManager.Cli;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Tests.Support;
using HaManager.Tests.Syncthing;
using static HaManager.Tests.Syncthing.SyncthingFixtures;

namespace HaManager.Tests.Cli;

/// <summary>status and db uri from a machine that is not a cluster node: only a Consul address, no settings file.</summary>
public sealed class ReadOnlyCommandTests : IDisposable
{
    private const string AppPassword = "app-secret-app-secret-app-secret";

    private readonly TempDirectory _dir = new();
    private readonly InMemoryKvStore _kv = new();
    private readonly FakeSyncthingApi _syncthing = new();
    private readonly List<ConsulClientOptions> _connections = [];

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Status_WorkstationWithOnlyConsulHttpAddr_ReadsTheClusterThere()
    {
        await SeedAsync();
        var services = Workstation(name => name == "CONSUL_HTTP_ADDR" ? "10.231.0.11:8500" : null);

        var run = await CliRun.RunAsync(services, "status", "--json");

        run.ExitCode.Should().Be(ExitCodes.Ok, run.ToString());
        _connections.Should().ContainSingle().Which.Address.Should().Be(new Uri("http://10.231.0.11:8500"));
        var status = JsonDocument.Parse(run.Out).RootElement;
        status.GetProperty("nodes").GetArrayLength().Should().Be(2);
        status.GetProperty("syncthing_seen_from").ValueKind.Should().Be(JsonValueKind.Null);
        status.GetProperty("notes").EnumerateArray().Should().ContainSingle()
            .Which.GetString().Should().Contain("this machine is not a cluster node").And.Contain("no local syncthing to ask");
        _syncthing.Calls.Should().BeEmpty();
    }

    [Fact]
    public async Task Status_WorkstationTable_SaysWhatWasNotChecked()
    {
        await SeedAsync();

        var run = await CliRun.RunAsync(Workstation(), "status");

        run.ExitCode.Should().Be(ExitCodes.Ok, run.ToString());
        run.Out.Should().Contain("Cluster is healthy.\n\nNot checked:\n  - syncthing connections and folder completion are not shown");
    }

    [Fact]
    public async Task Status_OnANode_AsksTheLocalSyncthing()
    {
        await SeedAsync();
        File.WriteAllText(_dir.File("node.yaml"), "node:\n  name: n1\n  address: 10.231.0.11\n");

        var run = await CliRun.RunAsync(Workstation(), "status", "--json", "--config", _dir.File("node.yaml"));

        run.ExitCode.Should().Be(ExitCodes.Ok, run.ToString());
        var status = JsonDocument.Parse(run.Out).RootElement;
        status.GetProperty("syncthing_seen_from").GetString().Should().Be("n1");
        status.GetProperty("notes").GetArrayLength().Should().Be(0);
        _syncthing.Calls.Should().Contain("connections");
    }

    [Fact]
    public async Task DbUri_Workstation_DefaultsToTheVirtualIp()
    {
        await SeedAsync();

        var run = await CliRun.RunAsync(Workstation(), "db", "uri");

        run.ExitCode.Should().Be(ExitCodes.Ok, run.ToString());
        run.Out.Should().Be("postgresql://manager@10.231.0.100:6432/manager\n");
    }

    [Fact]
    public async Task DbUri_Json_GivesThePartsButNeverThePassword()
    {
        await SeedAsync();

        var run = await CliRun.RunAsync(Workstation(), "db", "uri", "--via", "local", "--json");

        run.ExitCode.Should().Be(ExitCodes.Ok, run.ToString());
        var uri = JsonDocument.Parse(run.Out).RootElement;
        uri.GetProperty("uri").GetString().Should().Be("postgresql://manager@127.0.0.1:6432/manager");
        uri.GetProperty("host").GetString().Should().Be("127.0.0.1");
        uri.GetProperty("port").GetInt32().Should().Be(6432);
        uri.GetProperty("via").GetString().Should().Be("local");
        run.Out.Should().NotContain(AppPassword);
    }

    [Fact]
    public async Task DbUri_WithoutShowPassword_DoesNotEvenReadTheSecrets()
    {
        await SeedAsync();
        DenySecrets();

        var run = await CliRun.RunAsync(Workstation(), "db", "uri", "--json");

        run.ExitCode.Should().Be(ExitCodes.Ok, run.ToString());
        var uri = JsonDocument.Parse(run.Out).RootElement;
        uri.TryGetProperty("password", out _).Should().BeFalse();
        run.Out.Should().NotContain(AppPassword);
    }

    [Fact]
    public async Task DbUri_ShowPassword_PutsItIntoTheUri()
    {
        await SeedAsync();

        var run = await CliRun.RunAsync(Workstation(), "db", "uri", "--show-password");

        run.ExitCode.Should().Be(ExitCodes.Ok, run.ToString());
        run.Out.Should().Be($"postgresql://manager:{AppPassword}@10.231.0.100:6432/manager\n");
    }

    [Fact]
    public async Task DbUri_ShowPasswordJson_HasThePasswordFieldToo()
    {
        await SeedAsync();

        var run = await CliRun.RunAsync(Workstation(), "db", "uri", "--show-password", "--json", "--via", "local");

        run.ExitCode.Should().Be(ExitCodes.Ok, run.ToString());
        var uri = JsonDocument.Parse(run.Out).RootElement;
        uri.GetProperty("uri").GetString().Should().Be($"postgresql://manager:{AppPassword}@127.0.0.1:6432/manager");
        uri.GetProperty("password").GetString().Should().Be(AppPassword);
    }

    [Fact]
    public async Task DbUri_ShowPasswordWithATokenThatMayNotReadSecrets_SaysWhichTokenItNeeds()
    {
        await SeedAsync();
        DenySecrets();

        var run = await CliRun.RunAsync(Workstation(), "db", "uri", "--show-password");

        run.ExitCode.Should().Be(ExitCodes.Failed);
        run.Out.Should().BeEmpty();
        run.Error.Should().Contain("cannot read 'hamanager/secrets/postgres' with this Consul token").And.Contain("operator token may not");
    }

    [Fact]
    public async Task SyncWait_Workstation_StillNeedsNodeSettings()
    {
        var run = await CliRun.RunAsync(Workstation(), "sync", "wait");

        run.ExitCode.Should().Be(ExitCodes.InvalidInput);
        run.Error.Should().Contain("node.address: required");
    }

    private CliServices Workstation(Func<string, string?>? environment = null) => CliRun.Workstation(_dir.File("absent.yaml"), environment) with
    {
        ConnectConsul = options =>
        {
            _connections.Add(options);
            return new ClusterConnection(_kv, probe: null);
        },
        Syncthing = (_, _) => _syncthing,
    };

    /// <summary>As Consul answers a token without read on secrets/ (the operator token).</summary>
    private void DenySecrets() => _kv.FailureInjector = endpoint => endpoint.Contains("secrets/", StringComparison.Ordinal)
        ? new ConsulRequestException("Permission denied", endpoint, 403) : null;

    private async Task SeedAsync()
    {
        var seed = await new ClusterSeed(_kv).ConfigAsync();
        await seed.NodeAsync("n1", "10.231.0.11", 150, KeepalivedState.Master);
        await seed.NodeAsync("n2", "10.231.0.12", 140, KeepalivedState.Backup);
        await seed.SyncthingDeviceAsync("n1", Self, AddressOf("n1"));
        await seed.SyncthingDeviceAsync("n2", N2, AddressOf("n2"));
        _syncthing.Connections[N2] = true;
        await _kv.PutAsync(seed.Keys.PostgresSecrets, KvJson.Serialize(new PostgresSecrets { RepmgrPassword = new string('r', 32), AppPassword = AppPassword }));
    }
}
