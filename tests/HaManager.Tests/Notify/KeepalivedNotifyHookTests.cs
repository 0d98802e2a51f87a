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
