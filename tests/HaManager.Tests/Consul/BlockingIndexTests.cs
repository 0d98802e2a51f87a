using HaManager.Cluster.Consul;

namespace HaManager.Tests.Consul;

public sealed class BlockingIndexTests
{
    [Fact]
    public void Advance_FirstIndex_ReturnsTrueAndStoresIt()
    {
        var index = new BlockingIndex();

        index.Advance(10).Should().BeTrue();

        index.Current.Should().Be(10);
    }

    [Fact]
    public void Advance_SameIndex_ReturnsFalse()
    {
        var index = new BlockingIndex();
        index.Advance(10);

        index.Advance(10).Should().BeFalse();

        index.Current.Should().Be(10);
    }

    [Fact]
    public void Advance_ForwardIndex_ReturnsTrueAndMovesForward()
    {
        var index = new BlockingIndex();
        index.Advance(10);

        index.Advance(11).Should().BeTrue();

        index.Current.Should().Be(11);
    }

    [Fact]
    public void Advance_BackwardsIndex_ReturnsTrueAndResetsToZero()
    {
        var index = new BlockingIndex();
        index.Advance(10);

        index.Advance(4).Should().BeTrue();

        index.Current.Should().Be(0);
        index.NextQuery(TimeSpan.FromSeconds(5)).WaitIndex.Should().Be(0, "the loop restarts with a read that does not block");
    }

    [Fact]
    public void Advance_ZeroFromServer_IsTreatedAsOne()
    {
        var index = new BlockingIndex();

        index.Advance(0).Should().BeTrue();
        index.Current.Should().Be(1);

        index.Advance(0).Should().BeFalse("0 and 1 are the same index once sanitised");
        index.Current.Should().Be(1);
    }

    [Fact]
    public void NextQuery_AfterAdvance_BlocksOnCurrentIndex()
    {
        var index = new BlockingIndex();
        index.Advance(7);

        var query = index.NextQuery(TimeSpan.FromSeconds(30), stale: true);

        query.Should().Be(new QueryOptions { WaitIndex = 7, WaitTime = TimeSpan.FromSeconds(30), Stale = true });
    }
}
