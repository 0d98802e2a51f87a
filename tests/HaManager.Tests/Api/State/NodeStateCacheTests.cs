using HaManager.Api.State;
using HaManager.Tests.Support;

namespace HaManager.Tests.Api.State;

public sealed class NodeStateCacheTests
{
    private readonly ManualTimeProvider _time = new(ClusterDocuments.Start);

    [Fact]
    public async Task Facts_AfterEvents_StampEachPieceWithWhenItWasLearnt()
    {
        var cache = new NodeStateCache("n1", _time);
        cache.OnPostgresState(PostgresStates.Primary);
        _time.Advance(TimeSpan.FromSeconds(3));
        cache.OnSnapshot(await KvSnapshots.WithPrimaryAsync("n1"));
        cache.OnConsulLeader(true);
        _time.Advance(TimeSpan.FromSeconds(2));

        var facts = cache.Facts();
        facts.PostgresAge.Should().Be(TimeSpan.FromSeconds(5));
        facts.ConsulAge.Should().Be(TimeSpan.FromSeconds(2));
        facts.RegisteredPrimary.Should().Be("n1");
        facts.KvSeen.Should().BeTrue();
        facts.ClusterAge.Should().BeNull();
    }

    [Fact]
    public void OnConsulLeader_NoAnswer_KeepsTheTimeOfTheLastAnswer()
    {
        var cache = new NodeStateCache("n1", _time);
        cache.OnConsulLeader(true);
        _time.Advance(TimeSpan.FromSeconds(30));
        cache.OnConsulLeader(null);
        cache.Facts().ConsulAge.Should().Be(TimeSpan.FromSeconds(30));
        cache.Facts().ConsulLeader.Should().BeTrue("the last thing the agent said");
    }

    [Fact]
    public void OnClusterReadFailed_AfterAGoodRead_KeepsTheDocumentAndSaysWhy()
    {
        var cache = new NodeStateCache("n1", _time);
        var document = ClusterDocuments.ThreeNodes("n1");
        cache.OnClusterRead(document, _time.GetUtcNow());
        var json = cache.Cluster.Json;
        _time.Advance(TimeSpan.FromSeconds(4));
        cache.OnClusterReadFailed("Consul is unreachable");

        cache.Cluster.Failing.Should().BeTrue();
        cache.Cluster.Last!.Value.Should().BeSameAs(document);
        cache.Cluster.Json.Should().BeSameAs(json);
        cache.Facts().ClusterAge.Should().Be(TimeSpan.FromSeconds(4));
        cache.Facts().ConsulAge.Should().Be(TimeSpan.FromSeconds(4), "the good read went through the local agent");
    }

    [Fact]
    public void OnClusterRead_AfterAFailure_IsNoLongerFailing()
    {
        var cache = new NodeStateCache("n1", _time);
        cache.OnClusterReadFailed("Consul is unreachable");
        cache.Cluster.Failing.Should().BeTrue();
        _time.Advance(TimeSpan.FromSeconds(1));
        cache.OnClusterRead(ClusterDocuments.ThreeNodes("n2"), _time.GetUtcNow());
        cache.Cluster.Failing.Should().BeFalse();
        cache.Cluster.LagBytesOf("n1").Should().Be(0);
        cache.Cluster.LagBytesOf("n2").Should().BeNull("the primary has no lag");
    }
}
