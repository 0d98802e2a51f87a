using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Tests.Support;
using HaManager.Watchers.Notify;

namespace HaManager.Tests.Notify;

public sealed class KeepalivedNotifyHookTests : IDisposable
{
    private readonly NotifyTestContext _ctx = new();

    public void Dispose() => _ctx.Dispose();

    [Fact]
    public async Task Run_ConsulUp_RecordsStateAndTransition()
    {
        await new ClusterSeed(_ctx.Kv).NodeAsync("n2", "10.231.0.12", 140, KeepalivedState.Backup);

        (await _ctx.Hook().RunAsync(NotifyTestContext.Args("MASTER"))).Should().Be(NotifyOutcome.Recorded);

        var record = KvJson.Parse<KeepalivedNodeRecord>((await _ctx.Kv.GetAsync("hamanager/keepalived/nodes/n2")).Value!);
        record.State.Should().Be(KeepalivedState.Master);
        record.Priority.Should().Be(140, "the hook never changes the priority bootstrap chose");
        var transition = (await _ctx.TransitionsAsync()).Should().ContainSingle().Subject;
        transition.Should().Match<Transition>(t => t.Node.Value == "n2" && t.Service == "keepalived" && t.To == "MASTER");
        _ctx.Spool.Pending().Should().BeEmpty("a recorded event leaves nothing to replay");
    }

    [Fact]
    public async Task Run_KilledWhileRecording_LeavesTheEventInTheSpool()
    {
        var hanging = new HangingKvStore();
        var hook = new KeepalivedNotifyHook(new TransitionRecorder(hanging, _ctx.Keys, _ctx.Log.Logger), _ctx.Spool,
            NodeName.Parse("n2"), _ctx.Dir.File("state"), TimeSpan.FromSeconds(30), _ctx.Log.Logger);
        using var killed = new CancellationTokenSource(TimeSpan.FromMilliseconds(200)); // keepalived ending its scripts

        var act = () => hook.RunAsync(NotifyTestContext.Args("STOP"), killed.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        _ctx.Spool.Pending().Should().ContainSingle("the event was made durable before any Consul call")
            .Which.Event.NewState.Should().Be("STOP");
    }

    [Fact]
    public async Task Run_EarlierForkedHookFinishingLast_DoesNotOverwriteTheLaterState()
    {
        // keepalived went MASTER then BACKUP within a tick; the MASTER hook was forked first but recorded last.
        const string boot = "3f0c8a52-1f0e-4c4e-9a51-3c1b2a7d9e10";
        await _ctx.Hook(forkOrder: new ForkOrder(boot, 5000, 4100)).RunAsync(NotifyTestContext.Args("BACKUP"));
        await _ctx.Hook(forkOrder: new ForkOrder(boot, 5000, 4099)).RunAsync(NotifyTestContext.Args("MASTER"));

        var record = HaManager.Cluster.Json.KvJson.Parse<KeepalivedNodeRecord>((await _ctx.Kv.GetAsync(_ctx.Keys.KeepalivedNode(NodeName.Parse("n2")))).Value!);
        record.State.Should().Be(KeepalivedState.Backup, "the state of the later-forked hook stands");
        var transitions = await _ctx.TransitionsAsync();
        transitions.Should().HaveCount(2, "the late event is still history");
        transitions.Should().ContainSingle(t => t.To == "MASTER").Which.Details.Should().Contain("reported late");
        File.ReadAllText(_ctx.Dir.File("state/keepalived.last-state")).Should().StartWith("BACKUP ", "the next event's 'from' is the later state");
    }

    [Fact]
    public async Task Run_SecondChange_UsesTheLocallyRememberedPreviousState()
    {
        await _ctx.Hook().RunAsync(NotifyTestContext.Args("BACKUP"));
        await _ctx.Hook().RunAsync(NotifyTestContext.Args("MASTER"));
        var transitions = await _ctx.TransitionsAsync();
        transitions.Select(t => $"{t.From}->{t.To}").Should().Equal("UNKNOWN->BACKUP", "BACKUP->MASTER");
    }

    [Fact]
    public async Task Run_ConsulDown_SpoolsAndReturnsNormally()
    {
        _ctx.Kv.Unavailable = true;
        (await _ctx.Hook().RunAsync(NotifyTestContext.Args("MASTER"))).Should().Be(NotifyOutcome.Spooled);
        _ctx.Spool.Pending().Should().ContainSingle().Which.Event.Should().BeOfType<KeepalivedStateChanged>()
            .Which.State.Should().Be(KeepalivedState.Master);
        File.GetUnixFileMode(_ctx.Spool.Pending()[0].Path).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Fact]
    public async Task Run_ConsulHangs_SpoolsWithinTheBudget()
    {
        var hanging = new HangingKvStore();
        var hook = new KeepalivedNotifyHook(new TransitionRecorder(hanging, _ctx.Keys, _ctx.Log.Logger), _ctx.Spool,
            NodeName.Parse("n2"), _ctx.Dir.File("state"), TimeSpan.FromMilliseconds(200), _ctx.Log.Logger);

        (await hook.RunAsync(NotifyTestContext.Args("BACKUP"))).Should().Be(NotifyOutcome.Spooled);
        _ctx.Spool.Pending().Should().ContainSingle();
    }

    [Theory]
    [InlineData("INSTANCE", "VI_1", "MASTERX", "100")]
    [InlineData("NODE", "VI_1", "MASTER", "100")]
    [InlineData("INSTANCE", "VI 1", "MASTER", "100")]
    [InlineData("INSTANCE", "VI_1", "MASTER", "-1")]
    [InlineData("INSTANCE", "VI_1", "MASTER", "256")]
    public void ParseArguments_Invalid_IsRejected(string type, string name, string state, string priority)
    {
        var act = () => KeepalivedNotifyArguments.Parse(type, name, state, priority);
        act.Should().Throw<FormatException>();
    }
}
