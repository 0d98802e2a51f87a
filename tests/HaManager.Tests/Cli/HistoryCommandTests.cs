using System.Text.Json;
using HaManager.Cli;
using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Tests.Support;

namespace HaManager.Tests.Cli;

/// <summary>`hamanager history` with its filters, from a workstation (nothing but Consul).</summary>
public sealed class HistoryCommandTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _dir = new();
    private readonly InMemoryKvStore _kv = new();
    private readonly KvKeys _keys = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task History_NodeServiceSinceAndLimit_ShowsTheNewestMatchesOldestFirst()
    {
        await RecordAsync(Now.AddHours(-5), "n1", "postgres", "STANDBY", "PRIMARY");
        await RecordAsync(Now.AddHours(-3), "n2", "postgres", "STANDBY", "PRIMARY");
        await RecordAsync(Now.AddHours(-2), "n2", "keepalived", "BACKUP", "MASTER");
        await RecordAsync(Now.AddHours(-1), "n2", "postgres", "PRIMARY", "FENCED");

        var run = await RunAsync("history", "--node", "n2", "--service", "postgres", "--since", "4h", "--limit", "5", "--json");
        var table = await RunAsync("history", "--limit", "2");

        run.ExitCode.Should().Be(ExitCodes.Ok, run.ToString());
        var transitions = JsonDocument.Parse(run.Out).RootElement.GetProperty("transitions").EnumerateArray().ToList();
        transitions.Select(t => t.GetProperty("to").GetString()).Should().Equal("PRIMARY", "FENCED");
        transitions.Should().OnlyContain(t => t.GetProperty("node").GetString() == "n2" && t.GetProperty("service").GetString() == "postgres");
        table.Out.Should().Be("2025-06-01 10:00:00.000Z  n2         keepalived BACKUP -> MASTER\n2025-06-01 11:00:00.000Z  n2         postgres   PRIMARY -> FENCED\n");
    }

    [Fact]
    public async Task History_NothingMatches_SaysSo()
    {
        var run = await RunAsync("history", "--since", "2025-05-01T00:00:00Z");

        run.ExitCode.Should().Be(ExitCodes.Ok);
        run.Out.Should().Be("No transitions recorded that match.\n");
    }

    [Theory]
    [InlineData("--since", "yesterday", "--since: 'yesterday' is neither a time")]
    [InlineData("--limit", "0", "--limit 0: must be 1 or more")]
    [InlineData("--limit", "20000", "--limit 20000: must be 10000 or less")]
    [InlineData("--node", "n 1", "--node: 'n 1' is not a valid node name")]
    public async Task History_BadFilter_IsAUsageError(string option, string value, string message)
    {
        var run = await RunAsync("history", option, value);

        run.ExitCode.Should().Be(ExitCodes.InvalidInput);
        run.Error.Should().Contain(message);
        run.Out.Should().BeEmpty();
    }

    private Task RecordAsync(DateTimeOffset at, string node, string service, string from, string to) =>
        new ClusterSeed(_kv, _keys).TransitionAsync(at, node, service, from, to);

    private Task<CliRun> RunAsync(params string[] args) => CliRun.RunAsync(
        CliRun.Workstation(_dir.File("absent.yaml")) with { ConnectConsul = _ => new ClusterConnection(_kv, probe: null), Clock = new ManualTimeProvider(Now) }, args);
}
