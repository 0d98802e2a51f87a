using System.Text.Json;
using HaManager.Api.Status;
using HaManager.Cli;
using HaManager.Cli.Drill;
using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Tests.Support;

namespace HaManager.Tests.Cli.Drill;

/// <summary>What a drill leaves behind: its figures under drills/ and in history, and the shape of --json and the summary line.</summary>
public sealed class DrillHistoryTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);
    private static readonly DrillResult Result = new(DrillResult.Completed, DrillRecord.Switchover, "n1", "n2", 3.125, 3.4, 2, 1234, 0, "hamanager_drill_20260304050600", true);

    private readonly InMemoryKvStore _kv = new();
    private readonly KvKeys _keys = new();

    [Fact]
    public async Task Record_WritesTheFiguresUnderDrills_AndATransition()
    {
        await DrillHistory.RecordAsync(_kv, _keys, Result, "alice@ws", At, CancellationToken.None);

        var entry = (await _kv.ListAsync(_keys.DrillsPrefix)).Value.Should().ContainSingle().Subject;
        entry.Key.Should().Be(_keys.Drill(At));
        var record = KvJson.Parse<DrillRecord>(entry);
        (record.Mode, record.FromNode.Value, record.ToNode?.Value).Should().Be(("switchover", "n1", "n2"));
        record.RtoSeconds.Should().Be(3.125);
        record.LongestGapSeconds.Should().Be(3.4);
        record.ClientErrors.Should().Be(2);
        record.LostRows.Should().Be(0);
        record.At.Should().Be(At);
        var transition = KvJson.Parse<Transition>((await _kv.ListAsync(_keys.TransitionsPrefix)).Value.Single());
        (transition.Service, transition.From, transition.To, transition.Node.Value).Should().Be(("drill", "n1", "n2", "n2"));
        transition.Details.Should().Be("switchover drill by alice@ws: RTO 3.1 s, longest gap 3.4 s, client errors 2, acknowledged rows lost 0 (of 1234)");
    }

    [Fact]
    public async Task Record_TheNewestDrillIsWhatStatusAndMetricsShow()
    {
        await DrillHistory.RecordAsync(_kv, _keys, Result with { RtoSeconds = 9 }, "alice@ws", At.AddDays(-1), CancellationToken.None);
        await DrillHistory.RecordAsync(_kv, _keys, Result, "alice@ws", At, CancellationToken.None);

        var snapshot = await new ClusterStatusReader(_kv, _keys, probe: null, 5432).ReadSnapshotAsync(CancellationToken.None);

        snapshot.LastDrill!.RtoSeconds.Should().Be(3.125);
    }

    [Fact]
    public async Task RecordFailure_WritesATransitionOnly()
    {
        await DrillHistory.RecordFailureAsync(_kv, _keys, DrillRecord.KillPrimary, NodeName.Parse("n1"), "alice@ws", "no write reached a server other than n1", At, CancellationToken.None);

        (await _kv.ListAsync(_keys.DrillsPrefix)).Value.Should().BeEmpty("a failed drill has no RTO to publish");
        var transition = KvJson.Parse<Transition>((await _kv.ListAsync(_keys.TransitionsPrefix)).Value.Single());
        (transition.Service, transition.From, transition.To).Should().Be(("drill", "n1", "failed"));
        transition.Details.Should().Contain("kill-primary drill by alice@ws failed: no write reached");
    }

    [Fact]
    public void Json_HasTheDocumentedFields()
    {
        var json = JsonDocument.Parse(JsonSerializer.Serialize(Result, CliJson.Options)).RootElement;

        json.EnumerateObject().Select(p => p.Name).Should().Equal("outcome", "mode", "from", "to", "rto_seconds", "longest_gap_seconds", "client_errors",
            "acked_rows", "lost_rows", "table", "table_dropped");
        json.GetProperty("outcome").GetString().Should().Be("completed");
        json.GetProperty("rto_seconds").GetDouble().Should().Be(3.125);
        json.GetProperty("lost_rows").GetInt64().Should().Be(0);
    }

    [Fact]
    public void Finished_PrintsTheSummary_OrOnlyJsonOnStdout()
    {
        var text = new StringWriter();
        var errors = new StringWriter();
        new DrillOutput(text, errors, json: false, () => TimeSpan.Zero).Finished(Result).Should().Be(ExitCodes.Ok);
        text.ToString().Should().Be("failover drill (switchover from n1 to n2): RTO 3.1 s, longest gap 3.4 s, client errors 2, acknowledged rows lost 0 (of 1234)\n");

        var json = new StringWriter();
        new DrillOutput(json, errors, json: true, () => TimeSpan.Zero).Finished(Result with { LostRows = 3 });
        JsonDocument.Parse(json.ToString()).RootElement.GetProperty("lost_rows").GetInt64().Should().Be(3);
        errors.ToString().Should().Contain("warning: 3 acknowledged row(s) were lost");
    }
}
