using HaManager.Bootstrap.Postgres.Debian;

namespace HaManager.Tests.Bootstrap.Postgres.Debian;

public sealed class DefaultClusterDecisionTests
{
    private const string OwnDataDirectory = "/var/lib/postgresql/15/hamanager";
    private static readonly DebianCluster Main = new("15", "main", 5432, Online: true, "/var/lib/postgresql/15/main");
    private static readonly ClusterContents Untouched = new(0, 0, 0);

    private static DefaultClusterDecision Decide(params (DebianCluster, ClusterContents)[] clusters) =>
        DefaultClusterDecision.Decide(clusters, 5432, OwnDataDirectory);

    [Fact]
    public void Decide_NoClusters_DropsNothing()
    {
        var decision = Decide();

        decision.Drop.Should().BeEmpty();
        decision.Refusal.Should().BeNull();
    }

    [Fact]
    public void Decide_UntouchedMainOnThePort_DropsIt()
    {
        Decide((Main, Untouched)).Should().BeEquivalentTo(new DefaultClusterDecision([Main], null));
    }

    [Fact]
    public void Decide_UntouchedMainStopped_DropsItAsWell()
    {
        var stopped = Main with { Online = false };

        Decide((stopped, Untouched)).Drop.Should().Equal(stopped);
    }

    [Theory]
    [InlineData(1, 0, 0, "1 database(s) besides template0, template1 and postgres")]
    [InlineData(0, 3, 0, "3 table(s), index(es) or other relation(s) created after initdb")]
    [InlineData(0, 0, 1, "1 tablespace(s)")]
    public void Decide_MainWithData_RefusesAndDropsNothing(int databases, int relations, int tablespaces, string described)
    {
        var decision = Decide((Main, new ClusterContents(databases, relations, tablespaces)));

        decision.Drop.Should().BeEmpty();
        decision.Refusal.Should().Contain("PostgreSQL port 5432 is taken by the Debian cluster 15/main (running, /var/lib/postgresql/15/main), which holds " + described)
            .And.Contain("nothing was changed on this node")
            .And.Contain("pg_ctlcluster 15 main restart")
            .And.Contain("pg_dropcluster --stop 15 main");
    }

    [Fact]
    public void Decide_UnreadableDataDirectory_RefusesNamingTheReason()
    {
        var decision = Decide((Main, new ClusterContents(0, 0, 0, "Permission denied")));

        decision.Drop.Should().BeEmpty();
        decision.Refusal.Should().Contain("its data directory could not be read (Permission denied)");
    }

    [Fact]
    public void Decide_UntouchedClusterThatIsNotTheDefault_IsNeverDropped()
    {
        var other = new DebianCluster("15", "reports", 5432, Online: false, "/var/lib/postgresql/15/reports");

        var decision = Decide((other, Untouched));

        decision.Drop.Should().BeEmpty();
        decision.Refusal.Should().Contain("15/reports (stopped, /var/lib/postgresql/15/reports), which holds nothing beyond what initdb created");
    }

    [Fact]
    public void Decide_MainOnAnotherPort_IsLeftAlone()
    {
        var decision = Decide((Main with { Port = 5433 }, new ClusterContents(2, 10, 0)));

        decision.Drop.Should().BeEmpty();
        decision.Refusal.Should().BeNull();
    }

    [Fact]
    public void Decide_MainIsHaManagersOwnDataDirectory_IsLeftAlone()
    {
        var decision = DefaultClusterDecision.Decide([(Main, Untouched)], 5432, "/var/lib/postgresql/15/main/");

        decision.Drop.Should().BeEmpty();
        decision.Refusal.Should().BeNull();
    }

    [Fact]
    public void Decide_UntouchedMainBesideAClusterWithData_DropsNeither()
    {
        var reports = new DebianCluster("13", "main", 5432, Online: false, "/var/lib/postgresql/13/main");

        var decision = Decide((Main, Untouched), (reports, new ClusterContents(1, 0, 0)));

        decision.Drop.Should().BeEmpty();
        decision.Refusal.Should().Contain("13/main").And.Contain("pg_dropcluster --stop 13 main");
    }
}
