using HaManager.Cli.Switchover;
using HaManager.Cluster.Model;

namespace HaManager.Tests.Switchover;

public sealed class SwitchoverRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 7, 0, 0, TimeSpan.Zero);

    private static SwitchoverNode Primary(string name = "n1") => new(name, true, "primary", null, null, 150);

    private static SwitchoverNode Standby(string name, long? lag = 0, int priority = 140, string upstream = "n1", bool alive = true, string role = "standby") =>
        new(name, alive, role, upstream, lag, priority);

    private static SwitchoverDecision Decide(string? to, params SwitchoverNode[] nodes) => Decide(to, [], null, nodes);

    private static SwitchoverDecision Decide(string? to, IReadOnlyList<string> problems, SwitchoverRecord? running, params SwitchoverNode[] nodes) =>
        SwitchoverRules.Decide(new SwitchoverInput("n1", nodes, to, problems, running, Now, SwitchoverRules.DefaultMaxLagBytes));

    [Fact]
    public void Decide_NamedHealthyStandby_Accepted() =>
        Decide("n3", Primary(), Standby("n2"), Standby("n3")).Should().Be(new SwitchoverDecision("n1", "n3", null));

    [Fact]
    public void Decide_TargetIsThePrimary_Refused() =>
        Decide("n1", Primary(), Standby("n2")).Refusal.Should().Be("n1 is already the primary");

    [Fact]
    public void Decide_UnknownTarget_Refused() =>
        Decide("n7", Primary(), Standby("n2")).Refusal.Should().Be("n7 is not a registered node");

    [Fact]
    public void Decide_StoppedTarget_RefusedWithTheReason() =>
        Decide("n3", Primary(), Standby("n2"), Standby("n3", lag: null, upstream: null!, role: "unknown")).Refusal
            .Should().Be("n3 cannot become the primary: its PostgreSQL does not answer");

    [Fact]
    public void Decide_DeadConsulMember_Refused() =>
        Decide("n2", Primary(), Standby("n2", alive: false)).Refusal.Should().Contain("not an alive Consul member");

    [Fact]
    public void Decide_TargetStreamsFromElsewhere_Refused() =>
        Decide("n3", Primary(), Standby("n2"), Standby("n3", upstream: "n2")).Refusal.Should().Contain("does not stream from the primary n1 (upstream: n2)");

    [Fact]
    public void Decide_TargetLagsBeyondTheBound_Refused() =>
        Decide("n2", Primary(), Standby("n2", lag: SwitchoverRules.DefaultMaxLagBytes + 1)).Refusal.Should().Contain("lags 16777217 bytes");

    [Fact]
    public void Decide_PrimaryNotRunningAsPrimary_RefusedAsAFailoverInProgress() =>
        Decide("n2", Primary() with { Role = "unknown" }, Standby("n2")).Refusal.Should().Contain("a failover may be in progress");

    [Fact]
    public void Decide_ClusterDegraded_RefusedWithItsProblems() =>
        Decide("n2", ["pgbouncer on n3 points at n2"], null, Primary(), Standby("n2")).Refusal
            .Should().Contain("not healthy").And.Contain("pgbouncer on n3 points at n2");

    [Fact]
    public void Decide_AnotherSwitchoverStillRecorded_Refused()
    {
        var running = new SwitchoverRecord
        {
            From = NodeName.Parse("n1"), To = NodeName.Parse("n2"), By = "root@n3", Phase = SwitchoverRecord.Stopping, Started = Now.AddSeconds(-5), Deadline = Now.AddSeconds(60),
        };
        Decide("n2", [], running, Primary(), Standby("n2")).Refusal.Should().Contain("a switchover from n1 to n2 (by root@n3, phase stopping) is still recorded");
        Decide("n2", [], running with { Deadline = Now.AddSeconds(-1) }, Primary(), Standby("n2")).Refused.Should().BeFalse("an expired record is ignored");
    }

    [Fact]
    public void Decide_NoTarget_PicksTheLeastLagThenTheHigherPriority()
    {
        Decide(null, Primary(), Standby("n2", lag: 800), Standby("n3", lag: 100)).To.Should().Be("n3");
        Decide(null, Primary(), Standby("n2", lag: 0, priority: 130), Standby("n3", lag: 0, priority: 140)).To.Should().Be("n3");
        Decide(null, Primary(), Standby("n2", lag: 0, priority: 140), Standby("n3", lag: 0, priority: 140)).To.Should().Be("n2", "then the name, so the choice is repeatable");
    }

    [Fact]
    public void Decide_NoTarget_SkipsStandbysThatDoNotQualify()
    {
        Decide(null, Primary(), Standby("n2", lag: 0, role: "unknown"), Standby("n3", lag: 500)).To.Should().Be("n3");
        Decide(null, Primary(), Standby("n2", role: "unknown"), Standby("n3", alive: false)).Refusal
            .Should().Be("no standby can become the primary: n2: its PostgreSQL does not answer; n3: it is not an alive Consul member");
    }
}
