using HaManager.Cli;
using HaManager.Api.Status;
using HaManager.Tests.Api.Status;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Model;
using HaManager.Tests.Consul;
using HaManager.Tests.Support;
using HaManager.Tests.Syncthing;
using static HaManager.Tests.Syncthing.SyncthingFixtures;

namespace HaManager.Tests.Cli;

/// <summary>Every exit code docs/operations.md documents, produced by the whole command line (parsing included).</summary>
public sealed class ExitCodeTests : IDisposable
{
    private const string NodeSettings = """
        node:
          name: n1
          address: 10.231.0.11
        """;

    private readonly TempDirectory _dir = new();
    private readonly InMemoryKvStore _kv = new();
    private readonly FakeSyncthingApi _syncthing = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Status_HealthyCluster_ExitsZero()
    {
        await SeedNodesAsync(KeepalivedState.Master, KeepalivedState.Backup, KeepalivedState.Backup);

        var run = await CliRun.RunAsync(Workstation(AllAlive()), "status");

        run.ExitCode.Should().Be(ExitCodes.Ok, run.ToString());
        run.Out.Should().Contain("Cluster is healthy.");
        run.Error.Should().BeEmpty();
    }

    [Fact]
    public async Task Status_CommandLineError_ExitsTwoWithNothingOnStdout()
    {
        var run = await CliRun.RunAsync(Workstation(), "status", "--jsn");

        run.ExitCode.Should().Be(ExitCodes.InvalidInput);
        run.Out.Should().BeEmpty();
        run.Error.Should().Be("hamanager: error: Unrecognized command or argument '--jsn' (did you mean --json?)\nTry 'hamanager status --help'.\n");
    }

    [Fact]
    public async Task Status_ConsulOnAClosedLoopbackPort_ExitsThreeNamingTheAddress()
    {
        var port = FreePorts.Take(1)[0];
        var services = CliRun.Workstation(_dir.File("absent.yaml"));

        var run = await CliRun.RunAsync(services, "status", "--consul", $"http://127.0.0.1:{port}");

        run.ExitCode.Should().Be(ExitCodes.ConsulUnavailable, run.ToString());
        run.Out.Should().BeEmpty();
        run.Error.Should().StartWith($"hamanager: error: Consul at http://127.0.0.1:{port} could not be reached");
    }

    [Fact]
    public async Task Status_TwoKeepalivedMasters_ExitsFourAndListsTheProblem()
    {
        await SeedNodesAsync(KeepalivedState.Master, KeepalivedState.Master, KeepalivedState.Backup);

        var run = await CliRun.RunAsync(Workstation(AllAlive()), "status", "--json");

        run.ExitCode.Should().Be(ExitCodes.Degraded, run.ToString());
        run.Out.Should().Contain("\"degraded\": true").And.Contain("2 nodes report keepalived MASTER (n1, n2)");
    }

    [Fact]
    public async Task SyncWait_EveryPeerComplete_ExitsZero()
    {
        await SeedSyncthingAsync(n2Connected: true);

        var run = await CliRun.RunAsync(OnNode(), "sync", "wait", "--timeout", "10");

        run.ExitCode.Should().Be(ExitCodes.Ok, run.ToString());
        run.Out.Should().StartWith("resources, plugins: replicated to n2 in ");
        run.Error.Should().BeEmpty("nothing but the result when stderr is not a terminal");
    }

    [Fact]
    public async Task SyncWait_SyncthingNotAnswering_ExitsOne()
    {
        await SeedSyncthingAsync(n2Connected: true);
        _syncthing.Unreachable = true;

        var run = await CliRun.RunAsync(OnNode(), "sync", "wait", "--timeout", "10");

        run.ExitCode.Should().Be(ExitCodes.Failed, run.ToString());
        run.Error.Should().Contain("syncthing's REST API at http://127.0.0.1:8384/ did not answer");
    }

    [Fact]
    public async Task SyncWait_PeerNeverConnects_ExitsFiveNamingItAndWhy()
    {
        await SeedSyncthingAsync(n2Connected: false);

        var run = await CliRun.RunAsync(OnNode(), "sync", "wait", "--timeout", "0.3", "--json");

        run.ExitCode.Should().Be(ExitCodes.NotReplicated, run.ToString());
        run.Error.Should().StartWith("hamanager: error: resources, plugins not confirmed on 1 other node(s) within 0.3 s; lagging: n2\n")
            .And.Contain("n2: resources, plugins not replicated: n2 is not connected");
        run.Out.Should().Contain("\"replicated\": false").And.Contain("\"node\": \"n2\"");
    }

    [Theory]
    [InlineData("0", "--timeout 0: must be more than 0 and at most 86400 seconds")]
    [InlineData("90000", "--timeout 90000: must be more than 0 and at most 86400 seconds")]
    [InlineData("soon", "--timeout: 'soon' is not a number of seconds (e.g. 30 or 2.5)")]
    public async Task SyncWait_TimeoutOutOfRange_ExitsTwoSayingWhatIsAllowed(string timeout, string message)
    {
        var run = await CliRun.RunAsync(OnNode(), "sync", "wait", "--timeout", timeout);

        run.ExitCode.Should().Be(ExitCodes.InvalidInput);
        run.Out.Should().BeEmpty();
        run.Error.Should().Be($"hamanager: error: {message}\nTry 'hamanager sync wait --help'.\n");
    }

    private CliServices Workstation(IClusterProbe? probe = null) =>
        CliRun.Workstation(_dir.File("absent.yaml")) with { ConnectConsul = _ => new ClusterConnection(_kv, probe) };

    private CliServices OnNode()
    {
        File.WriteAllText(_dir.File("hamanager.yaml"), NodeSettings);
        return Workstation() with { DefaultConfigPath = _dir.File("hamanager.yaml"), Syncthing = (_, _) => _syncthing };
    }

    private static FakeClusterProbe AllAlive() =>
        new(new Dictionary<string, bool> { ["n1"] = true, ["n2"] = true, ["n3"] = true }, []);

    private async Task SeedNodesAsync(params KeepalivedState[] states)
    {
        var seed = await new ClusterSeed(_kv).ConfigAsync();
        for (var i = 0; i < states.Length; i++) await seed.NodeAsync($"n{i + 1}", $"10.231.0.{11 + i}", 150 - 10 * i, states[i]);
    }

    private async Task SeedSyncthingAsync(bool n2Connected)
    {
        var seed = await new ClusterSeed(_kv).ConfigAsync();
        await seed.NodeAsync("n1", "10.231.0.11", 150);
        await seed.NodeAsync("n2", "10.231.0.12", 140);
        await seed.SyncthingDeviceAsync("n1", Self, AddressOf("n1"));
        await seed.SyncthingDeviceAsync("n2", N2, AddressOf("n2"));
        _syncthing.ShareFolder("resources", Self, N2);
        _syncthing.ShareFolder("plugins", Self, N2);
        _syncthing.Connections[N2] = n2Connected;
    }
}
