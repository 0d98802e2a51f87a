using System.Text.Json;
using HaManager.Api.Status;
using HaManager.Cli;
using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Tests.Api.Status;
using HaManager.Tests.Support;

namespace HaManager.Tests.Cli.Drill;

/// <summary>`hamanager drill` before it touches anything: what it refuses, with which exit code, and that nothing is written then.</summary>
public sealed class DrillCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly InMemoryKvStore _kv = new();
    private readonly KvKeys _keys = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task KillPrimary_WithoutYes_IsRefused_AndWritesNothing()
    {
        await SeedAsync();
        var index = _kv.LastIndex;

        var run = await CliRun.RunAsync(Services(), "drill", "--kill-primary");

        run.ExitCode.Should().Be(ExitCodes.Refused, run.ToString());
        run.Error.Should().Contain("drill refused: --kill-primary stops the primary's PostgreSQL hard").And.Contain("pass --yes").And.Contain("Nothing was changed");
        run.Out.Should().BeEmpty();
        _kv.LastIndex.Should().Be(index);
        (await _kv.ListAsync(_keys.DrillsPrefix)).Value.Should().BeEmpty();
    }

    [Fact]
    public async Task KillPrimary_WithoutYes_Json_SaysRefusedWithTheExitCode()
    {
        var run = await CliRun.RunAsync(Services(), "drill", "--kill-primary", "--json");

        run.ExitCode.Should().Be(ExitCodes.Refused, run.ToString());
        var json = JsonDocument.Parse(run.Out).RootElement;
        json.GetProperty("outcome").GetString().Should().Be("refused");
        json.GetProperty("exit_code").GetInt32().Should().Be(ExitCodes.Refused);
        json.GetProperty("error").GetString().Should().Contain("pass --yes");
    }

    [Fact]
    public async Task KillPrimary_OnAStandby_IsRefused_NamingThePrimary()
    {
        await SeedAsync();
        var index = _kv.LastIndex;
        File.WriteAllText(_dir.File("node.yaml"), "node:\n  name: n2\n  address: 10.231.0.12\n");

        var run = await CliRun.RunAsync(Services(), "drill", "--kill-primary", "--yes", "--config", _dir.File("node.yaml"));

        run.ExitCode.Should().Be(ExitCodes.Refused, run.ToString());
        run.Error.Should().Contain("run it on the primary n1 (this is n2)");
        _kv.LastIndex.Should().Be(index);
    }

    [Fact]
    public async Task KillPrimary_FromAWorkstation_IsRefused_NamingThePrimary()
    {
        await SeedAsync();

        var run = await CliRun.RunAsync(Services(), "drill", "--kill-primary", "--yes");

        run.ExitCode.Should().Be(ExitCodes.Refused, run.ToString());
        run.Error.Should().Contain("run it on the primary n1 (this machine is not a cluster node)");
    }

    [Fact]
    public async Task KillPrimary_OnThePrimary_DuringMaintenance_IsRefused()
    {
        await SeedAsync();
        await _kv.PutAsync(_keys.Maintenance, KvJson.Serialize(new MaintenanceRecord { By = "bob@ws", Since = DateTimeOffset.UtcNow.AddMinutes(-1) }));
        File.WriteAllText(_dir.File("node.yaml"), "node:\n  name: n1\n  address: 10.231.0.11\n");
        var index = _kv.LastIndex;

        var run = await CliRun.RunAsync(Services(), "drill", "--kill-primary", "--yes", "--config", _dir.File("node.yaml"));

        run.ExitCode.Should().Be(ExitCodes.Refused, run.ToString());
        run.Error.Should().Contain("maintenance is on");
        _kv.LastIndex.Should().Be(index);
    }

    [Fact]
    public async Task Switchover_OnADegradedCluster_IsRefusedLikeASwitchover()
    {
        await SeedAsync(n3: PostgresProbeResult.Unreachable("connection refused"));

        var run = await CliRun.RunAsync(Services(), "drill", "--yes", "--to", "n3");

        run.ExitCode.Should().Be(ExitCodes.Refused, run.ToString());
        run.Error.Should().Contain("drill refused: n3 cannot become the primary: its PostgreSQL does not answer");
    }

    [Fact]
    public async Task Switchover_WithoutYes_AndNoTerminal_IsAnArgumentError_AndWritesNothing()
    {
        await SeedAsync();
        var index = _kv.LastIndex;

        var run = await CliRun.RunAsync(Services(), "drill");

        run.ExitCode.Should().Be(ExitCodes.InvalidInput, run.ToString());
        run.Error.Should().Contain("a switchover drill from n1 to n2 needs confirmation").And.Contain("pass --yes");
        _kv.LastIndex.Should().Be(index);
    }

    [Fact]
    public async Task Switchover_NotConfirmed_IsRefused()
    {
        await SeedAsync();

        var run = await CliRun.RunAsync(Services() with { InputIsTerminal = true, ReadAnswer = () => "n" }, "drill");

        run.ExitCode.Should().Be(ExitCodes.Refused, run.ToString());
        run.Error.Should().Contain("Run a failover drill: switch the primary over from n1 to n2 while writing to a new table hamanager_drill_")
            .And.Contain("drill refused: not confirmed");
    }

    [Theory]
    [InlineData("--switchover", "--kill-primary")]
    [InlineData("--kill-primary", "--to", "n2")]
    [InlineData("--duration", "0")]
    [InlineData("--duration", "601")]
    [InlineData("--to", "n/2")]
    public async Task BadArguments_AreInvalidInput(params string[] args)
    {
        var run = await CliRun.RunAsync(Services(), ["drill", .. args]);

        run.ExitCode.Should().Be(ExitCodes.InvalidInput, run.ToString());
    }

    private CliServices Services() =>
        CliRun.AgainstKv(_dir.File("absent.yaml"), _kv) with { ConnectConsul = _ => new ClusterConnection(_kv, _probe) };

    private FakeClusterProbe? _probe;

    /// <summary>n1 the primary, n2 and n3 streaming from it with no lag, n1 holding the VIP: healthy.</summary>
    private async Task SeedAsync(PostgresProbeResult? n3 = null)
    {
        var seed = await new ClusterSeed(_kv, _keys).ConfigAsync();
        await seed.NodeAsync("n1", "10.231.0.11", 150, KeepalivedState.Master);
        await seed.NodeAsync("n2", "10.231.0.12", 140, KeepalivedState.Backup);
        await seed.NodeAsync("n3", "10.231.0.13", 130, KeepalivedState.Backup);
        await seed.PostgresAsync("n1", null, ("n1", 1, PostgresRole.Primary), ("n2", 2, PostgresRole.Standby), ("n3", 3, PostgresRole.Standby));
        var standby = new PostgresProbeResult("standby", System.Net.IPAddress.Parse("10.231.0.11"), new Dictionary<string, long>());
        _probe = new FakeClusterProbe(new Dictionary<string, bool> { ["n1"] = true, ["n2"] = true, ["n3"] = true }, new Dictionary<string, PostgresProbeResult>
        {
            ["10.231.0.11"] = new("primary", null, new Dictionary<string, long> { ["n2"] = 0, ["n3"] = 0 }),
            ["10.231.0.12"] = standby,
            ["10.231.0.13"] = n3 ?? standby,
        });
    }
}
