using HaManager.Cluster.Consul;

namespace HaManager.Tests.Consul;

[Collection(ConsulDevAgentCollection.Name)]
public sealed class ConsulClientAgentTests(ConsulDevAgentFixture agent) : IDisposable
{
    private readonly ConsulClient _client = agent.CreateClient();

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task StatusLeaderAsync_DevAgent_ReturnsItsServerAddress()
    {
        (await _client.StatusLeaderAsync()).Should().Be($"127.0.0.1:{agent.ServerPort}");
    }

    [Fact]
    public async Task StatusPeersAsync_DevAgent_ReturnsOnlyItself()
    {
        (await _client.StatusPeersAsync()).Should().Equal($"127.0.0.1:{agent.ServerPort}");
    }

    [Fact]
    public async Task AgentSelfAsync_DevAgent_ReportsServerNodeAndDatacenter()
    {
        var self = await _client.AgentSelfAsync();

        self.Should().Be(new AgentSelf(agent.NodeName, "dc1", true, "127.0.0.1"));
    }

    [Fact]
    public async Task AgentMembersAsync_DevAgent_ReturnsSingleAliveServer()
    {
        var member = (await _client.AgentMembersAsync()).Should().ContainSingle().Subject;

        member.Name.Should().Be(agent.NodeName);
        member.Addr.Should().Be("127.0.0.1");
        member.Port.Should().Be(agent.SerfLanPort);
        member.Status.Should().Be(AgentMember.StatusAlive);
        member.Tags.Should().Contain("role", "consul");
    }

    [Fact]
    public async Task AgentJoinAsync_OwnSerfAddress_Succeeds()
    {
        var act = () => _client.AgentJoinAsync($"127.0.0.1:{agent.SerfLanPort}");

        await act.Should().NotThrowAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RaftConfigurationAsync_DevAgent_ReturnsOneVoterLeader(bool stale)
    {
        var server = (await _client.RaftConfigurationAsync(stale)).Should().ContainSingle().Subject;

        server.Node.Should().Be(agent.NodeName);
        server.Address.Should().Be($"127.0.0.1:{agent.ServerPort}");
        server.Leader.Should().BeTrue();
        server.Voter.Should().BeTrue();
        server.Id.Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task KeysAsync_WithSeparator_ReturnsOneLevelOfNames()
    {
        var prefix = $"keys/{Guid.NewGuid():N}/";
        await _client.PutAsync(prefix + "a", [1]);
        await _client.PutAsync(prefix + "dir/b", [2]);
        await _client.PutAsync(prefix + "dir/c/d", [3]);

        var shallow = await _client.KeysAsync(prefix, "/");
        var deep = await _client.KeysAsync(prefix);

        shallow.Value.Should().Equal(prefix + "a", prefix + "dir/");
        deep.Value.Should().Equal(prefix + "a", prefix + "dir/b", prefix + "dir/c/d");
        shallow.Index.Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task KeysAsync_MissingPrefix_ReturnsEmptyList()
    {
        var result = await _client.KeysAsync($"keys/{Guid.NewGuid():N}/", "/");

        result.Value.Should().NotBeNull().And.BeEmpty();
        result.Index.Should().BeGreaterThan(0);
    }
}
