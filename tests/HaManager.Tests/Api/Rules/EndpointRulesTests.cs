using HaManager.Api.Rules;
using HaManager.Api.State;
using HaManager.Watchers.Postgres;

namespace HaManager.Tests.Api.Rules;

public sealed class EndpointRulesTests
{
    private static readonly DateTimeOffset Now = ClusterDocuments.Start.AddHours(1);
    private static readonly StalenessLimits Limits = StalenessLimits.Default;

    [Fact]
    public void Primary_WritableAndRegistered_Is200()
    {
        var answer = EndpointRules.Primary(Facts("n1", PostgresStates.Primary, registered: "n1"), Limits);
        answer.StatusCode.Should().Be(200);
        answer.Body.Should().Match<EndpointBody>(b => b.Ok && b.Role == "primary" && b.RegisteredPrimary == "n1");
        answer.Body.Reason.Should().Be("n1 is the registered primary and its PostgreSQL accepts writes");
    }

    [Fact]
    public void Primary_Standby_Is503AndNamesThePrimary()
    {
        var answer = EndpointRules.Primary(Facts("n2", PostgresStates.Standby(), registered: "n1"), Limits);
        answer.StatusCode.Should().Be(503);
        answer.Body.Role.Should().Be("standby");
        answer.Body.Reason.Should().Be("the local PostgreSQL is a standby from 10.231.0.11; the primary is n1");
    }

    [Fact]
    public void Primary_WritableButKvNamesAnother_Is503()
    {
        var answer = EndpointRules.Primary(Facts("n1", PostgresStates.Primary, registered: "n2"), Limits);
        answer.StatusCode.Should().Be(503);
        answer.Body.Reason.Should().Contain("KV names n2 as the primary");
    }

    [Fact]
    public void Primary_KvNeverRead_Is503()
    {
        var answer = EndpointRules.Primary(Facts("n1", PostgresStates.Primary, registered: null, kvSeen: false), Limits);
        answer.StatusCode.Should().Be(503);
        answer.Body.Reason.Should().Contain("has not read KV yet");
    }

    [Fact]
    public void Primary_PostgresDoesNotAnswer_Is503WithRoleStopped()
    {
        var answer = EndpointRules.Primary(Facts("n1", PostgresState.NotAnswering, registered: "n1"), Limits);
        answer.StatusCode.Should().Be(503);
        answer.Body.Role.Should().Be("stopped");
        answer.Body.Reason.Should().Be("the local PostgreSQL does not answer");
    }

    [Fact]
    public void Primary_PostgresReadTooLongAgo_Is503WithRoleUnknownAndItsAge()
    {
        var answer = EndpointRules.Primary(Facts("n1", PostgresStates.Primary, registered: "n1", postgresAge: TimeSpan.FromSeconds(7)), Limits);
        answer.StatusCode.Should().Be(503);
        answer.Body.Role.Should().Be("unknown");
        answer.Body.Reason.Should().Be("the local PostgreSQL has not answered for 7.0 s");
        answer.Body.AgeMilliseconds.Postgres.Should().Be(7000);
    }

    [Fact]
    public void Primary_ConsulSilentForAMinute_Stays200AndSaysHowOldItsKnowledgeIs()
    {
        var answer = EndpointRules.Primary(Facts("n1", PostgresStates.Primary, registered: "n1", consulAge: TimeSpan.FromSeconds(61)), Limits);
        answer.StatusCode.Should().Be(200, "a Consul outage must not make a load balancer drop the running primary");
        answer.Body.AgeMilliseconds.Consul.Should().Be(61_000);
        answer.Body.Reason.Should().EndWith("(as of KV 61.0 s ago: Consul does not answer)");
    }

    [Fact]
    public void Replica_StreamingStandby_Is200()
    {
        var answer = EndpointRules.Replica(Facts("n2", PostgresStates.Standby(), registered: "n1"), Limits, null);
        answer.StatusCode.Should().Be(200);
        answer.Body.Streaming.Should().BeTrue();
        answer.Body.Reason.Should().Be("the local standby streams from 10.231.0.11");
    }

    [Fact]
    public void Replica_OnThePrimary_Is503()
    {
        var answer = EndpointRules.Replica(Facts("n1", PostgresStates.Primary, registered: "n1"), Limits, null);
        answer.StatusCode.Should().Be(503);
        answer.Body.Reason.Should().Be("the local PostgreSQL is the primary, not a replica");
    }

    [Theory]
    [InlineData("startup", "its WAL receiver is startup")]
    [InlineData(null, "no WAL receiver runs")]
    public void Replica_NotStreaming_Is503(string? status, string why)
    {
        var state = PostgresStates.Standby() with { WalReceiverStatus = status };
        var answer = EndpointRules.Replica(Facts("n2", state, registered: "n1"), Limits, null);
        answer.StatusCode.Should().Be(503);
        answer.Body.Streaming.Should().BeFalse();
        answer.Body.Reason.Should().Be($"the local standby does not stream: {why}");
    }

    [Fact]
    public void Replica_WithinMaxLag_Is200WithTheLag()
    {
        var answer = EndpointRules.Replica(Facts("n2", PostgresStates.Standby(), registered: "n1", lagBytes: 4096), Limits, 8192);
        answer.StatusCode.Should().Be(200);
        answer.Body.LagBytes.Should().Be(4096);
        answer.Body.MaxLagBytes.Should().Be(8192);
    }

    [Fact]
    public void Replica_OverMaxLag_Is503()
    {
        var answer = EndpointRules.Replica(Facts("n2", PostgresStates.Standby(), registered: "n1", lagBytes: 9000), Limits, 8192);
        answer.StatusCode.Should().Be(503);
        answer.Body.Reason.Should().EndWith("but lags 9000 bytes, more than max_lag_bytes=8192");
    }

    [Fact]
    public void Replica_MaxLagButClusterReadingTooOld_Is503BecauseTheLagIsUnknown()
    {
        var facts = Facts("n2", PostgresStates.Standby(), registered: "n1", lagBytes: 0, clusterAge: TimeSpan.FromSeconds(30));
        var answer = EndpointRules.Replica(facts, Limits, 8192);
        answer.StatusCode.Should().Be(503);
        answer.Body.Reason.Should().EndWith("its lag is unknown: the last cluster reading is 30.0 s old");
        answer.Body.AgeMilliseconds.Cluster.Should().Be(30_000);
        EndpointRules.Replica(facts, Limits, null).StatusCode.Should().Be(200, "without max_lag_bytes the lag does not matter");
    }

    [Fact]
    public void Replica_MaxLagWithoutAnyClusterReading_Is503()
    {
        var answer = EndpointRules.Replica(Facts("n2", PostgresStates.Standby(), registered: "n1"), Limits, 0);
        answer.StatusCode.Should().Be(503);
        answer.Body.Reason.Should().EndWith("its lag is unknown: no cluster reading yet");
    }

    [Fact]
    public void Health_EverythingRuns_Is200AndListsTheServices()
    {
        var answer = EndpointRules.Health(Facts("n1", PostgresStates.Primary, registered: "n1"), Limits);
        answer.StatusCode.Should().Be(200, answer.Body.Reason);
        answer.Body.Services.Should().ContainKeys("consul", "keepalived", "pgbouncer").And.AllSatisfy(s => s.Value.Should().BeTrue());
    }

    [Fact]
    public void Health_ServiceStopped_Is503NamingIt()
    {
        var services = new FakeNodeProbes().Services.Select(s => s.Service == "pgbouncer" ? s with { Running = false } : s).ToList();
        var answer = EndpointRules.Health(Facts("n1", PostgresStates.Primary, registered: "n1", services: services), Limits);
        answer.StatusCode.Should().Be(503);
        answer.Body.Reason.Should().Be("not running: pgbouncer");
        answer.Body.Services!["pgbouncer"].Should().BeFalse();
    }

    [Fact]
    public void Health_ConsulSilentAndPostgresDown_Is503NamingBoth()
    {
        var answer = EndpointRules.Health(Facts("n1", PostgresState.NotAnswering, registered: "n1", consulAge: TimeSpan.FromSeconds(12)), Limits);
        answer.StatusCode.Should().Be(503);
        answer.Body.Reason.Should().Be("the local PostgreSQL does not answer; the local Consul agent has not answered for 12.0 s");
    }

    [Fact]
    public void Health_NothingKnownYet_Is503()
    {
        var facts = new NodeFacts("n1", Now, null, null, false, null, null, null, ClusterReading.None);
        var answer = EndpointRules.Health(facts, Limits);
        answer.StatusCode.Should().Be(503);
        answer.Body.Role.Should().Be("unknown");
        answer.Body.AgeMilliseconds.Should().Be(new DataAges(null, null, null, null));
    }

    private static NodeFacts Facts(string node, PostgresState state, string? registered, bool kvSeen = true,
        TimeSpan? postgresAge = null, TimeSpan? consulAge = null, long? lagBytes = null, TimeSpan? clusterAge = null,
        IReadOnlyList<ServiceCheck>? services = null)
    {
        var cluster = ClusterReading.None;
        if (lagBytes is not null || clusterAge is not null)
        {
            var document = ClusterDocuments.ThreeNodes(registered ?? "n1", lagBytes ?? 0);
            cluster = cluster with { Last = new(document, Now - (clusterAge ?? TimeSpan.FromSeconds(1))) };
        }

        return new NodeFacts(node, Now, new Stamped<PostgresState>(state, Now - (postgresAge ?? TimeSpan.FromMilliseconds(200))),
            registered, kvSeen, Now - (consulAge ?? TimeSpan.FromMilliseconds(500)), true,
            new Stamped<IReadOnlyList<ServiceCheck>>(services ?? new FakeNodeProbes().Services, Now - TimeSpan.FromSeconds(2)), cluster);
    }
}
