using HaManager.Watchers.Notify;

namespace HaManager.Tests.Notify;

public sealed class SpoolReplayerTests : IDisposable
{
    private readonly NotifyTestContext _ctx = new();

    public void Dispose() => _ctx.Dispose();

    [Fact]
    public async Task Replay_AfterOutage_RecordsEveryTransitionInOrderOnce()
    {
        _ctx.Kv.Unavailable = true;
        foreach (var state in new[] { "BACKUP", "MASTER", "FAULT" }) await _ctx.Hook().RunAsync(NotifyTestContext.Args(state));
        _ctx.Spool.Pending().Should().HaveCount(3);

        _ctx.Kv.Unavailable = false;
        var replayer = new SpoolReplayer(_ctx.Spool, _ctx.Recorder, _ctx.Log.Logger);
        (await replayer.ReplayAsync(CancellationToken.None)).Should().Be(3);
        (await replayer.ReplayAsync(CancellationToken.None)).Should().Be(0, "replayed events are removed");

        var transitions = await _ctx.TransitionsAsync();
        transitions.Select(t => $"{t.From}->{t.To}").Should().Equal("UNKNOWN->BACKUP", "BACKUP->MASTER", "MASTER->FAULT");
        _ctx.Spool.Pending().Should().BeEmpty();
    }

    [Fact]
    public async Task Replay_EventAlreadyRecorded_IsNotDuplicated()
    {
        _ctx.Kv.Unavailable = true;
        await _ctx.Hook().RunAsync(NotifyTestContext.Args("MASTER"));
        _ctx.Kv.Unavailable = false;
        var spooled = _ctx.Spool.Pending().Single();
        await _ctx.Recorder.RecordAsync(spooled.Event, CancellationToken.None); // a replay that crashed before removing the file

        await new SpoolReplayer(_ctx.Spool, _ctx.Recorder, _ctx.Log.Logger).ReplayAsync(CancellationToken.None);

        (await _ctx.TransitionsAsync()).Should().ContainSingle();
    }

    [Fact]
    public async Task Replay_ConsulStillDown_KeepsEverything()
    {
        _ctx.Kv.Unavailable = true;
        await _ctx.Hook().RunAsync(NotifyTestContext.Args("MASTER"));
        (await new SpoolReplayer(_ctx.Spool, _ctx.Recorder, _ctx.Log.Logger).ReplayAsync(CancellationToken.None)).Should().Be(0);
        _ctx.Spool.Pending().Should().ContainSingle();
    }

    [Fact]
    public async Task Replay_OlderEventThanRecordedState_AddsHistoryButKeepsTheNewerState()
    {
        _ctx.Kv.Unavailable = true;
        await _ctx.Hook("n2").RunAsync(NotifyTestContext.Args("BACKUP"));
        _ctx.Kv.Unavailable = false;
        await _ctx.Hook("n2").RunAsync(NotifyTestContext.Args("MASTER")); // newer, recorded directly

        await new SpoolReplayer(_ctx.Spool, _ctx.Recorder, _ctx.Log.Logger).ReplayAsync(CancellationToken.None);

        var record = HaManager.Cluster.Json.KvJson.Parse<HaManager.Cluster.Model.KeepalivedNodeRecord>((await _ctx.Kv.GetAsync("hamanager/keepalived/nodes/n2")).Value!);
        record.State.Should().Be(HaManager.Cluster.Model.KeepalivedState.Master);
        (await _ctx.TransitionsAsync()).Should().HaveCount(2);
    }

    [Fact]
    public async Task Replay_CasKeepsLosingEightTimes_EventStaysPendingAndIsRecordedLater()
    {
        var kv = new ContendedKvStore(_ctx.Kv, "hamanager/keepalived/nodes/n2");
        await new HaManager.Tests.Support.ClusterSeed(_ctx.Kv).NodeAsync("n2", "10.231.0.12", 140);
        _ctx.Kv.Unavailable = true;
        await _ctx.Hook("n2").RunAsync(NotifyTestContext.Args("MASTER"));
        _ctx.Kv.Unavailable = false;
        var recorder = new TransitionRecorder(kv, _ctx.Keys, _ctx.Log.Logger);
        var replayer = new SpoolReplayer(_ctx.Spool, recorder, _ctx.Log.Logger);

        kv.LosingCasWrites = 8;
        (await replayer.ReplayAsync(CancellationToken.None)).Should().Be(0);
        _ctx.Spool.Pending().Should().ContainSingle("contention is transient: the event is kept, not set aside");
        Directory.GetFiles(_ctx.Spool.Directory, "*" + NotifySpool.RejectedExtension).Should().BeEmpty();

        (await replayer.ReplayAsync(CancellationToken.None)).Should().Be(1);
        (await _ctx.TransitionsAsync()).Should().ContainSingle(t => t.To == "MASTER");
    }

    [Fact]
    public async Task Hook_SpoolCannotBeWritten_StillRecordsInKv()
    {
        var spoolDirectory = _ctx.Spool.Directory;
        Directory.CreateDirectory(Path.GetDirectoryName(spoolDirectory)!);
        File.WriteAllText(spoolDirectory, "a file where the spool directory should be: every spool write fails");

        (await _ctx.Hook("n2").RunAsync(NotifyTestContext.Args("MASTER"))).Should().Be(NotifyOutcome.Recorded);

        (await _ctx.TransitionsAsync()).Should().ContainSingle(t => t.To == "MASTER");
        _ctx.Log.Messages.Should().Contain(m => m.Contains("Could not spool"));
    }

    [Fact]
    public void Pending_CorruptFile_IsSetAsideNotDeleted()
    {
        Directory.CreateDirectory(_ctx.Spool.Directory);
        var path = Path.Combine(_ctx.Spool.Directory, "20260101T000000.0000000Z-x.json");
        File.WriteAllText(path, "{half");
        _ctx.Spool.Pending().Should().BeEmpty();
        File.Exists(path + NotifySpool.RejectedExtension).Should().BeTrue();
        _ctx.Log.Messages.Should().Contain(m => m.Contains("Set aside"));
    }
}
