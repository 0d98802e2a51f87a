using HaManager.Bootstrap.Postgres.Debian;

namespace HaManager.Tests.Bootstrap.Postgres.Debian;

public sealed class DebianClusterTests
{
    [Fact]
    public void ParseList_PgLsClustersWithoutHeader_ReadsEveryCluster()
    {
        const string output = """
            15  main    5432 online postgres /var/lib/postgresql/15/main    /var/log/postgresql/postgresql-15-main.log
            13  reports 5433 down,binaries_missing postgres /srv/pg/13/reports /var/log/postgresql/postgresql-13-reports.log

            """;

        DebianCluster.ParseList(output).Should().Equal(
            new DebianCluster("15", "main", 5432, true, "/var/lib/postgresql/15/main"),
            new DebianCluster("13", "reports", 5433, false, "/srv/pg/13/reports"));
    }

    [Fact]
    public void ParseList_HeaderOrGarbage_IsSkipped()
    {
        DebianCluster.ParseList("Ver Cluster Port Status Owner Data directory Log file\nWarning: something\n").Should().BeEmpty();
    }
}
