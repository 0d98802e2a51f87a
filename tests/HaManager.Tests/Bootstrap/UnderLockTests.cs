using HaManager.Bootstrap;
using HaManager.Cluster.Locks;

namespace HaManager.Tests.Bootstrap;

public sealed class UnderLockTests
{
    [Fact]
    public async Task RunAsync_LockLostDuringAStep_AbortsItNamingTheStep()
    {
        var lease = new FakeLease();
        var progress = new BootstrapProgress(TextWriter.Null);
        var after = false;

        var act = () => UnderLock.RunAsync(lease, progress, async token =>
        {
            progress.Step("Cloning from n1");
            lease.Lose("its session was destroyed");
            await Task.Delay(Timeout.Infinite, token); // a long clone, cancelled when the lock goes
            after = true;
        }, CancellationToken.None);

        var error = (await act.Should().ThrowAsync<BootstrapException>()).Which;
        error.Message.Should().Contain("lost the bootstrap lock 'hamanager/locks/bootstrap'").And.Contain("\"Cloning from n1\"")
            .And.Contain("its session was destroyed").And.Contain("Re-run");
        after.Should().BeFalse("nothing after the lost lock may run");
    }

    [Fact]
    public async Task RunAsync_LockHeldThroughout_RunsEveryStep()
    {
        var ran = 0;
        await UnderLock.RunAsync(new FakeLease(), new BootstrapProgress(TextWriter.Null), _ => { ran++; return Task.CompletedTask; }, CancellationToken.None);
        ran.Should().Be(1);
    }

    private sealed class FakeLease : ILockLease
    {
        private readonly CancellationTokenSource _lost = new();

        public string Key => "hamanager/locks/bootstrap";
        public CancellationToken Lost => _lost.Token;
        public string? LostReason { get; private set; }

        public void Lose(string reason)
        {
            LostReason = reason;
            _lost.Cancel();
        }
    }
}
