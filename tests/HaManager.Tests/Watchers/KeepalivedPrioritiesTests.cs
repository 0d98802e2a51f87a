using HaManager.Cluster.Model;
using HaManager.Watchers.Keepalived;

namespace HaManager.Tests.Watchers;

public sealed class KeepalivedPrioritiesTests
{
    private static readonly ClusterConfig Config = new()
    {
        VirtualIp = Cidr.Parse("10.0.0.100/24"), CreatedBy = NodeName.Parse("n1"), CreatedAt = DateTimeOffset.UnixEpoch,
        TopPriority = 150, PriorityStep = 10,
    };

    [Fact]
    public void Choose_NoNodes_GivesTopPriority() => KeepalivedPriorities.Choose(Config, []).Should().Be(150);

    [Fact]
    public void Choose_ExistingNodes_GoesOneStepBelowTheLowest() => KeepalivedPriorities.Choose(Config, [150, 130, 140]).Should().Be(120);

    [Fact]
    public void Choose_AfterAnOperatorRaisedOne_StillBelowTheLowest() => KeepalivedPriorities.Choose(Config, [200, 90]).Should().Be(80);

    [Fact]
    public void Choose_NoRoomLeft_ExplainsWhatToChange()
    {
        var act = () => KeepalivedPriorities.Choose(Config, [5]);
        act.Should().Throw<InvalidOperationException>().WithMessage("*priority_step*");
    }
}
