using System.Text.Json;
using HaManager.Cli;
using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Tests.Support;

namespace HaManager.Tests.Cli;

/// <summary>`hamanager maintenance on|off` against an in-memory KV, and how `status` shows the window.</summary>
public sealed class MaintenanceCommandTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _dir = new();
    private readonly InMemoryKvStore _kv = new();
    private readonly KvKeys _keys = new();
    private readonly ManualTimeProvider _clock = new(Start);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task On_WithReasonAndFor_WritesTheWindowAndSaysWhatIsPaused()
    {
        var run = await RunAsync("maintenance", "on", "--reason", "PostgreSQL minor upgrade", "--for", "30m");

        run.ExitCode.Should().Be(ExitCodes.Ok, run.ToString());
        run.Out.Should().StartWith("Maintenance is ON cluster-wide, since 2025-06-01 12:00:00Z, until 2025-06-01 12:30:00Z (30m from now).\n  by alice@")
            .And.Contain(": PostgreSQL minor upgrade\nPaused on every node: automatic failover");
        var record = await RecordAsync();
        record!.Reason.Should().Be("PostgreSQL minor upgrade");
        record.By.Should().StartWith("alice@");
        record.Since.Should().Be(Start);
        record.Until.Should().Be(Start.AddMinutes(30));
    }

    [Fact]
    public async Task On_Twice_ChangesNothingTheSecondTime_AndKeepsTheStart()
    {
        (await RunAsync("maintenance", "on", "--reason", "upgrade")).ExitCode.Should().Be(ExitCodes.Ok);
        var index = _kv.LastIndex;
        _clock.Advance(TimeSpan.FromMinutes(5));

        var again = await RunAsync("maintenance", "on", "--json");

        again.ExitCode.Should().Be(ExitCodes.Ok, again.ToString());
        var json = JsonDocument.Parse(again.Out).RootElement;
        json.GetProperty("maintenance").GetString().Should().Be("on");
        json.GetProperty("changed").GetBoolean().Should().BeFalse();
        json.GetProperty("reason").GetString().Should().Be("upgrade");
        json.GetProperty("until").ValueKind.Should().Be(JsonValueKind.Null);
        _kv.LastIndex.Should().Be(index, "nothing was written");

        var extended = await RunAsync("maintenance", "on", "--for", "2h");
        extended.Out.Should().Contain("since 2025-06-01 12:00:00Z, until 2025-06-01 14:05:00Z (2h from now)");
    }

    [Fact]
    public async Task Off_EndsIt_AndOffAgainIsANoOp()
    {
        await RunAsync("maintenance", "on");

        var off = await RunAsync("maintenance", "off");
        var again = await RunAsync("maintenance", "off", "--json");

        off.ExitCode.Should().Be(ExitCodes.Ok, off.ToString());
        off.Out.Should().StartWith("Maintenance is OFF (it was on since 2025-06-01 12:00:00Z, by alice@").And.Contain("resume on every node");
        (await _kv.GetAsync(_keys.Maintenance)).Value.Should().BeNull();
        again.ExitCode.Should().Be(ExitCodes.Ok);
        JsonDocument.Parse(again.Out).RootElement.GetProperty("changed").GetBoolean().Should().BeFalse();
    }

    [Theory]
    [InlineData("soon", "--for: 'soon' is not a duration")]
    [InlineData("0s", "--for 0s: must be more than 0 and at most 7d")]
    [InlineData("8d", "--for 8d: must be more than 0 and at most 7d")]
    public async Task On_BadDuration_IsAUsageErrorAndWritesNothing(string duration, string message)
    {
        var run = await RunAsync("maintenance", "on", "--for", duration);

        run.ExitCode.Should().Be(ExitCodes.InvalidInput);
        run.Error.Should().Contain(message);
        run.Out.Should().BeEmpty();
        (await _kv.GetAsync(_keys.Maintenance)).Value.Should().BeNull();
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("1h30m", 5400)]
    [InlineData("1.5h", 5400)]
    [InlineData("1d", 86400)]
    public void Duration_AcceptsWhatOperatorsType(string text, int seconds)
    {
        DurationText.TryParse(text, out var duration).Should().BeTrue();
        duration.Should().Be(TimeSpan.FromSeconds(seconds));
    }

    [Fact]
    public async Task Status_DuringMaintenance_ShowsWhoWhyAndUntil_AndNotAfterItEnds()
    {
        await new ClusterSeed(_kv).ConfigAsync();
        await RunAsync("maintenance", "on", "--reason", "kernel update", "--for", "1h");

        var table = await RunAsync("status", "--kv-only");
        var json = JsonDocument.Parse((await RunAsync("status", "--kv-only", "--json")).Out).RootElement.GetProperty("maintenance");
        _clock.Advance(TimeSpan.FromHours(1));
        var after = JsonDocument.Parse((await RunAsync("status", "--kv-only", "--json")).Out).RootElement;

        table.Out.Should().Contain("MAINTENANCE: automatic failover, fencing and VIP moves are paused since 2025-06-01 12:00:00Z, until 2025-06-01 13:00:00Z\n  by alice@")
            .And.Contain(": kernel update");
        json.GetProperty("reason").GetString().Should().Be("kernel update");
        json.GetProperty("by").GetString().Should().StartWith("alice@");
        json.GetProperty("until").GetDateTimeOffset().Should().Be(Start.AddHours(1));
        after.GetProperty("maintenance").ValueKind.Should().Be(JsonValueKind.Null, "an expired window pauses nothing");
    }

    private async Task<MaintenanceRecord?> RecordAsync() =>
        (await _kv.GetAsync(_keys.Maintenance)).Value is { } entry ? KvJson.Parse<MaintenanceRecord>(entry) : null;

    private Task<CliRun> RunAsync(params string[] args) => CliRun.RunAsync(
        CliRun.Workstation(_dir.File("absent.yaml"), name => name == "USER" ? "alice" : null) with
        {
            ConnectConsul = _ => new ClusterConnection(_kv, probe: null),
            Clock = _clock,
        }, args);
}
