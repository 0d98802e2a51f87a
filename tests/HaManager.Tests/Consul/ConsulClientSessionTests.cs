using System.Text;
using HaManager.Cluster.Consul;

namespace HaManager.Tests.Consul;

[Collection(ConsulDevAgentCollection.Name)]
public sealed class ConsulClientSessionTests(ConsulDevAgentFixture agent) : IDisposable
{
    private readonly ConsulClient _client = agent.CreateClient();
    private readonly string _prefix = $"sessions/{Guid.NewGuid():N}/";

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task CreateSessionAsync_TtlWithoutChecks_SessionHasNoNodeChecks()
    {
        var id = await _client.CreateSessionAsync(new SessionRequest("ttl-only", TimeSpan.FromSeconds(10), SessionBehavior.Release, TimeSpan.Zero));

        var info = await _client.SessionInfoAsync(id);

        info.Should().NotBeNull();
        info!.Name.Should().Be("ttl-only");
        info.Ttl.Should().Be("10s");
        info.Behavior.Should().Be(SessionBehavior.Release);
        info.LockDelay.Should().Be(TimeSpan.Zero);
        info.NodeChecks.Should().BeEmpty("serfHealth must not be able to invalidate the session");
        await _client.DestroySessionAsync(id);
    }

    [Fact]
    public async Task CreateSessionAsync_DeleteBehaviorAndLockDelay_AreStored()
    {
        var id = await _client.CreateSessionAsync(new SessionRequest("delete", TimeSpan.FromSeconds(30)) { Behavior = SessionBehavior.Delete, LockDelay = TimeSpan.FromMilliseconds(1500) });

        var info = await _client.SessionInfoAsync(id);

        info!.Behavior.Should().Be(SessionBehavior.Delete);
        info.LockDelay.Should().Be(TimeSpan.FromMilliseconds(1500));
        await _client.DestroySessionAsync(id);
    }

    [Fact]
    public async Task RenewSessionAsync_LiveSession_Succeeds()
    {
        var id = await NewSessionAsync();

        var act = () => _client.RenewSessionAsync(id);

        await act.Should().NotThrowAsync();
        await _client.DestroySessionAsync(id);
    }

    [Fact]
    public async Task RenewSessionAsync_AfterDestroy_ThrowsConsulSessionNotFoundException()
    {
        var id = await NewSessionAsync();
        await _client.DestroySessionAsync(id);

        var act = () => _client.RenewSessionAsync(id);

        var ex = (await act.Should().ThrowAsync<ConsulSessionNotFoundException>()).Which;
        ex.SessionId.Should().Be(id);
        ex.StatusCode.Should().Be(404);
        ex.Endpoint.Should().Be($"PUT /v1/session/renew/{id}");
        ex.Message.Should().Contain(id).And.Contain(agent.Address.ToString().TrimEnd('/'));
    }

    [Fact]
    public async Task SessionInfoAsync_AfterDestroy_ReturnsNull()
    {
        var id = await NewSessionAsync();
        await _client.DestroySessionAsync(id);

        (await _client.SessionInfoAsync(id)).Should().BeNull();
    }

    [Fact]
    public async Task RenewSessionAsync_MalformedId_ThrowsArgumentException()
    {
        var act = () => _client.RenewSessionAsync("not-a-session");

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("not-a-session");
    }

    [Fact]
    public async Task AcquireAsync_HeldBySessionA_SessionBFailsUntilAReleases()
    {
        var a = await NewSessionAsync();
        var b = await NewSessionAsync();
        var key = _prefix + "leader";

        (await _client.AcquireAsync(key, Bytes("a"), a)).Should().BeTrue();
        (await _client.AcquireAsync(key, Bytes("b"), b)).Should().BeFalse();
        var held = (await _client.GetAsync(key)).Value!;
        held.Session.Should().Be(a);
        held.LockIndex.Should().Be(1);
        held.ValueAsString().Should().Be("a");

        (await _client.ReleaseAsync(key, Bytes("released"), b)).Should().BeFalse("B does not hold the lock");
        (await _client.ReleaseAsync(key, Bytes("released"), a)).Should().BeTrue();
        (await _client.GetAsync(key)).Value!.Session.Should().BeNull();

        (await _client.AcquireAsync(key, Bytes("b"), b)).Should().BeTrue();
        var taken = (await _client.GetAsync(key)).Value!;
        taken.Session.Should().Be(b);
        taken.LockIndex.Should().Be(2);

        await _client.DestroySessionAsync(a);
        await _client.DestroySessionAsync(b);
    }

    [Fact]
    public async Task DestroySessionAsync_ReleaseBehavior_FreesLockForOtherSession()
    {
        var a = await NewSessionAsync();
        var b = await NewSessionAsync();
        var key = _prefix + "leader";
        (await _client.AcquireAsync(key, Bytes("a"), a)).Should().BeTrue();

        await _client.DestroySessionAsync(a);

        var entry = (await _client.GetAsync(key)).Value;
        entry.Should().NotBeNull("release behavior keeps the key");
        entry!.Session.Should().BeNull();
        (await _client.AcquireAsync(key, Bytes("b"), b)).Should().BeTrue();
        await _client.DestroySessionAsync(b);
    }

    [Fact]
    public async Task DestroySessionAsync_DeleteBehavior_DeletesLockedKey()
    {
        var a = await NewSessionAsync(SessionBehavior.Delete);
        var key = _prefix + "ephemeral";
        (await _client.AcquireAsync(key, Bytes("a"), a)).Should().BeTrue();

        await _client.DestroySessionAsync(a);

        (await _client.GetAsync(key)).Value.Should().BeNull();
    }

    [Fact]
    public async Task AcquireAsync_DestroyedSession_ThrowsConsulSessionNotFoundException()
    {
        var a = await NewSessionAsync();
        await _client.DestroySessionAsync(a);

        var act = () => _client.AcquireAsync(_prefix + "leader", Bytes("a"), a);

        var ex = (await act.Should().ThrowAsync<ConsulSessionNotFoundException>()).Which;
        ex.Message.Should().Contain(_prefix + "leader").And.Contain(a);
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    // No lock delay, so tests can hand a lock over right after invalidating a session.
    private Task<string> NewSessionAsync(SessionBehavior behavior = SessionBehavior.Release) =>
        _client.CreateSessionAsync(new SessionRequest("test", TimeSpan.FromSeconds(10), behavior, TimeSpan.Zero));
}
