using HaManager.Watchers.Failover;

namespace HaManager.Tests.Failover;

public sealed class FailoverRulesTests
{
    private static readonly FailoverTiming Timing = FailoverTiming.Default;

    [Fact]
    public void Decide_PrimaryAnswers_DoesNothing()
    {
        var decision = FailoverRules.Decide(Input(Standby("n2", silentMs: null), Peers(("n3", Standby("n3", silentMs: null)))));
        decision.Action.Should().Be(FailoverAction.None);
        decision.Sentence.Should().Be("primary n1 answers");
    }

    [Fact]
    public void Decide_SilentShorterThanTheThreshold_LikeAOneSecondFlap_OnlyWaits()
    {
        // A 1 s link flap silences the primary for about 2.2 s: below the 3 s threshold.
        var decision = FailoverRules.Decide(Input(Standby("n2", silentMs: 2200), Peers(("n3", Standby("n3", silentMs: 2200)))));
        decision.Action.Should().Be(FailoverAction.Wait);
        decision.Sentence.Should().Contain("acting only after 3.0 s");
    }

    [Fact]
    public void Decide_AnotherNodeStillReachesThePrimary_NoFailover()
    {
        // The primary and n3 are a majority of three: a primary still reachable from a majority is never replaced.
        var decision = FailoverRules.Decide(Input(Standby("n2", silentMs: 4000), Peers(("n3", Standby("n3", silentMs: null)))));
        decision.Action.Should().Be(FailoverAction.Wait);
        decision.Sentence.Should().Contain("only 1 of 3 nodes agree").And.Contain("still reached by n3").And.EndWith("no failover");
    }

    [Fact]
    public void Decide_OtherNodeDoesNotAnswer_NoFailover()
    {
        // Cut off from the primary and from n3: this node may be the one that is partitioned.
        var decision = FailoverRules.Decide(Input(Standby("n2", silentMs: 4000), Peers(("n3", null))));
        decision.Action.Should().Be(FailoverAction.Wait);
        decision.Sentence.Should().Contain("no answer from n3");
    }

    [Fact]
    public void Decide_PeerSilentOnlyBriefly_DoesNotCountAsAgreement()
    {
        var decision = FailoverRules.Decide(Input(Standby("n2", silentMs: 4000), Peers(("n3", Standby("n3", silentMs: 400)))));
        decision.Action.Should().Be(FailoverAction.Wait);
        decision.Sentence.Should().Contain("silent only 400 ms");
    }

    [Fact]
    public void Decide_MajorityAgreesAndThisNodeIsMostAdvanced_Promotes()
    {
        var decision = FailoverRules.Decide(Input(Standby("n2", silentMs: 3100, lsn: "0/5003908"), Peers(("n3", Standby("n3", silentMs: 3000, lsn: "0/5003000")))));
        decision.Action.Should().Be(FailoverAction.Promote);
        decision.Candidate.Should().Be("n2");
        decision.Sentence.Should().Be("primary n1 has not answered for 3.1 s; 2 of 3 nodes agree (n2, n3); n2 is the most advanced standby (0/5003908, priority 140): promoting n2");
    }

    [Fact]
    public void Decide_AnotherStandbyIsMoreAdvanced_WaitsForIt()
    {
        // Ganeti's rule: only the node with the latest state may take over, whatever the priorities.
        var decision = FailoverRules.Decide(Input(Standby("n2", silentMs: 3100, lsn: "0/5003000", priority: 200), Peers(("n3", Standby("n3", silentMs: 3000, lsn: "0/5003908")))));
        decision.Action.Should().Be(FailoverAction.Wait);
        decision.Candidate.Should().Be("n3");
        decision.Sentence.Should().EndWith("waiting for n3 to promote");
    }

    [Fact]
    public void Decide_EquallyAdvanced_HigherPriorityThenNameWins()
    {
        var byPriority = FailoverRules.Decide(Input(Standby("n2", silentMs: 3100, priority: 130), Peers(("n3", Standby("n3", silentMs: 3000, priority: 140)))));
        byPriority.Candidate.Should().Be("n3");
        var byName = FailoverRules.Decide(Input(Standby("n3", silentMs: 3100, priority: 140), Peers(("n2", Standby("n2", silentMs: 3000, priority: 140)))) with { Self = "n3" });
        byName.Candidate.Should().Be("n2", "every node computes the same candidate");
    }

    [Fact]
    public void Decide_FiveNodesTwoAgree_NeedsThree()
    {
        var input = Input(Standby("n2", silentMs: 3100), Peers(("n3", Standby("n3", silentMs: 3000)), ("n4", Standby("n4", silentMs: null)), ("n5", null))) with { RegisteredNodes = 5 };
        var decision = FailoverRules.Decide(input);
        decision.Action.Should().Be(FailoverAction.Wait);
        decision.Sentence.Should().Contain("only 2 of 5 nodes agree").And.Contain("3 needed");
    }

    [Fact]
    public void Decide_Paused_NeverPromotes()
    {
        var decision = FailoverRules.Decide(Input(Standby("n2", silentMs: 9000), Peers(("n3", Standby("n3", silentMs: 9000)))) with { Paused = true });
        decision.Action.Should().Be(FailoverAction.Wait);
        decision.Sentence.Should().Contain("paused");
    }

    [Fact]
    public void Decide_PeerKnowsAnotherPrimary_DoesNotCount()
    {
        var peer = Standby("n3", silentMs: 5000) with { PrimaryNode = "n2" };
        var decision = FailoverRules.Decide(Input(Standby("n2", silentMs: 5000), Peers(("n3", peer))));
        decision.Action.Should().Be(FailoverAction.Wait);
        decision.Sentence.Should().Contain("n3 (knows n2 primary)");
    }

    [Fact]
    public void Decide_ThisNodeIsNotARunningStandby_CannotBeACandidate()
    {
        var decision = FailoverRules.Decide(Input(Standby("n2", silentMs: 5000) with { Role = ObserverView.Stopped }, Peers(("n3", Standby("n3", silentMs: 5000)))));
        decision.Action.Should().Be(FailoverAction.None);
    }

    private static FailoverInput Input(ObserverView self, IReadOnlyDictionary<string, ObserverView?> peers) =>
        new(self.Node, "n1", 3, self, peers, Timing);

    private static ObserverView Standby(string node, long? silentMs, string lsn = "0/5003908", int priority = 140) => new()
    {
        Node = node, PrimaryNode = "n1", Role = ObserverView.Standby, Lsn = lsn, Timeline = 1, Priority = priority,
        PrimaryReachable = silentMs is null, PrimaryUnreachableMilliseconds = silentMs,
    };

    private static IReadOnlyDictionary<string, ObserverView?> Peers(params (string Node, ObserverView? View)[] peers) =>
        peers.ToDictionary(p => p.Node, p => p.View, StringComparer.Ordinal);
}
