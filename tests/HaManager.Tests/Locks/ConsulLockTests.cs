using HaManager.Cluster.Locks;
using HaManager.Tests.Consul;
using HaManager.Tests.Support;

namespace HaManager.Tests.Locks;

[Collection(ConsulDevAgentCollection.Name)]
public sealed class ConsulLockTests(ConsulDevAgentFixture agent)
{
    [Fact]
    public async Task Lost_SessionDestroyedByAnother_IsCancelledWithTheReason()
    {
        using var client = agent.CreateClient();
        var log = new TestLogger();
        await using var held = await ConsulLock.AcquireAsync(client, $"locks/{Guid.NewGuid():N}", "n2", TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5), log.Logger, CancellationToken.None);
        held.Lost.IsCancellationRequested.Should().BeFalse();

        await client.DestroySessionAsync(held.SessionId);

        // The next renewal (at TTL/2) finds the session gone.
        await Eventually.WaitAsync(() => held.Lost.IsCancellationRequested, "the lock to notice its session is gone", TimeSpan.FromSeconds(15));
        held.LostReason.Should().Contain(held.SessionId);
        log.Messages.Should().Contain(m => m.Contains("Lost the lock"));
    }
}
