using System.Net;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Tests.Support;
using HaManager.Watchers.Notify;

namespace HaManager.Tests.Notify;

public sealed class RepmgrRecorderTests : IDisposable
{
    private readonly NotifyTestContext _ctx = new();

    public void Dispose() => _ctx.Dispose();

    [Fact]
    public async Task Record_Promotion_MovesTheMasterAndRecordsOneTransition()
    {
        await SeedAsync(masterSince: DateTimeOffset.UtcNow.AddMinutes(-5));
        var promoted = Event("n2", 2, "repmgrd_failover_promote", DateTimeOffset.UtcNow);

        await _ctx.Recorder.RecordAsync(promoted, CancellationToken.None);
        await _ctx.Recorder.RecordAsync(promoted with { Event = "standby_promote", At = promoted.At.AddMilliseconds(50) }, CancellationToken.None);

        var master = KvJson.Parse<PostgresMasterRecord>((await _ctx.Kv.GetAsync("hamanager/postgres/master")).Value!);
        master.Node.Value.Should().Be("n2");
        master.Host.Should().Be(IPAddress.Parse("10.231.0.12"));
        KvJson.Parse<PostgresNodeRecord>((await _ctx.Kv.GetAsync("hamanager/postgres/nodes/n2")).Value!).Role.Should().Be(PostgresRole.Primary);
        (await _ctx.TransitionsAsync()).Should().ContainSingle(t => t.Service == "postgres" && t.To == "PRIMARY", "repmgr reports one promotion twice");
    }

    [Fact]
    public async Task Record_PromotionOnANewTimeline_WhileTheNodeIsStillRecordedPrimary_IsANewTransition()
    {
        // n2 was primary on timeline 2, died, and came back as a standby of n3 without that demotion reaching KV.
        await SeedAsync(masterSince: DateTimeOffset.UtcNow.AddMinutes(-5), timeline: 2);
        await _ctx.Recorder.RecordAsync(Event("n2", 2, "hamanager_failover_promote", DateTimeOffset.UtcNow.AddMinutes(-4)) with { Timeline = 3 }, CancellationToken.None);
        await _ctx.Recorder.RecordAsync(Event("n3", 3, "hamanager_failover_promote", DateTimeOffset.UtcNow.AddMinutes(-3)) with { Timeline = 4 }, CancellationToken.None);

        var again = Event("n2", 2, "hamanager_failover_promote", DateTimeOffset.UtcNow) with { Timeline = 5 };
        await _ctx.Recorder.RecordAsync(again, CancellationToken.None);
        await _ctx.Recorder.RecordAsync(again with { Event = "standby_promote", At = again.At.AddMilliseconds(50) }, CancellationToken.None);

        var promotions = (await _ctx.TransitionsAsync()).Where(t => t.Node.Value == "n2" && t.To == "PRIMARY").ToList();
        promotions.Should().HaveCount(2, "the promotion on timeline 5 is a new one; its standby_promote repeat is not");
        promotions.Should().OnlyContain(t => !t.Details!.Contains('['), "a promotion recorded once carries no note");
    }

    [Fact]
    public async Task Record_StalePromotionFromTheFuture_IsRejectedByItsTimeline()
    {
        // A replayed promotion whose clock runs 5 s ahead: only its (older) timeline counts.
        await SeedAsync(masterSince: DateTimeOffset.UtcNow, timeline: 3);
        var stale = Event("n3", 3, "repmgrd_failover_promote", DateTimeOffset.UtcNow.AddSeconds(5)) with { Timeline = 2 };

        await _ctx.Recorder.RecordAsync(stale, CancellationToken.None);

        KvJson.Parse<PostgresMasterRecord>((await _ctx.Kv.GetAsync("hamanager/postgres/master")).Value!).Node.Value.Should().Be("n1");
        _ctx.Log.Messages.Should().Contain(m => m.Contains("Rejected stale promotion"));
        (await _ctx.TransitionsAsync()).Should().ContainSingle().Which.Details.Should().Contain("stale promotion");
    }

    [Fact]
    public async Task Record_RivalPromotionOnTheSameTimeline_NeverReplacesTheRegisteredMaster()
    {
        await SeedAsync(masterSince: DateTimeOffset.UtcNow.AddMinutes(-5), timeline: 2);
        await _ctx.Recorder.RecordAsync(Event("n3", 3, "standby_promote", DateTimeOffset.UtcNow) with { Timeline = 2 }, CancellationToken.None);
        KvJson.Parse<PostgresMasterRecord>((await _ctx.Kv.GetAsync("hamanager/postgres/master")).Value!).Node.Value.Should().Be("n1");
    }

    [Fact]
    public async Task Record_PromotionOnALaterTimelineWithAnOldClock_MovesTheMaster()
    {
        await SeedAsync(masterSince: DateTimeOffset.UtcNow, timeline: 2);
        await _ctx.Recorder.RecordAsync(Event("n2", 2, "hamanager_failover_promote", DateTimeOffset.UtcNow.AddMinutes(-10)) with { Timeline = 3 }, CancellationToken.None);
        var master = KvJson.Parse<PostgresMasterRecord>((await _ctx.Kv.GetAsync("hamanager/postgres/master")).Value!);
        master.Node.Value.Should().Be("n2");
        master.Timeline.Should().Be(3);
    }

    [Fact]
    public async Task Record_Follow_SetsTheUpstreamToTheRegisteredMaster()
    {
        await SeedAsync(masterSince: DateTimeOffset.UtcNow.AddMinutes(-5));
        await _ctx.Recorder.RecordAsync(Event("n3", 3, "standby_follow", DateTimeOffset.UtcNow), CancellationToken.None);
        var record = KvJson.Parse<PostgresNodeRecord>((await _ctx.Kv.GetAsync("hamanager/postgres/nodes/n3")).Value!);
        record.Role.Should().Be(PostgresRole.Standby);
        record.Upstream!.Value.Value.Should().Be("n1");
    }

    [Theory]
    [InlineData("x", "standby_promote", "1")]
    [InlineData("2", "standby promote; rm", "1")]
    [InlineData("2", "standby_promote", "yes")]
    public void ParseArguments_Invalid_IsRejected(string nodeId, string eventName, string success)
    {
        var act = () => RepmgrNotifyArguments.Parse(nodeId, eventName, success, null, null);
        act.Should().Throw<FormatException>();
    }

    private async Task SeedAsync(DateTimeOffset masterSince, int? timeline = null)
    {
        var seed = await new ClusterSeed(_ctx.Kv).ConfigAsync();
        for (var i = 1; i <= 3; i++) await seed.NodeAsync($"n{i}", $"10.231.0.{10 + i}", 160 - 10 * i);
        await seed.PostgresAsync("n1", masterSince, timeline, ("n1", 1, PostgresRole.Primary), ("n2", 2, PostgresRole.Standby), ("n3", 3, PostgresRole.Standby));
    }

    private static RepmgrEvent Event(string node, int id, string name, DateTimeOffset at) => new()
    {
        Node = NodeName.Parse(node), At = at, NodeId = id, Event = name, Success = true,
        Host = IPAddress.Parse($"10.231.0.{10 + id}"), Port = 5432,
    };
}
