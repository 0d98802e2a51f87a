using HaManager.Api.Status;
using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Model;
using HaManager.Tests.Support;

namespace HaManager.Tests.Api.Status;

public sealed class ClusterStatusReaderTests
{
    private readonly InMemoryKvStore _kv = new();

    [Fact]
    public async Task Read_OneMaster_IsHealthyAndNamesTheVipHolder()
    {
        await Seed(KeepalivedState.Master, KeepalivedState.Backup, KeepalivedState.Backup);
        var status = await ReadAsync();
        status.Degraded.Should().BeFalse(string.Join("; ", status.Problems));
        status.VipHolder.Should().Be("n1");
        status.Nodes.Select(n => (n.Name, n.Keepalived.Priority)).Should().Equal(("n1", 150), ("n2", 140), ("n3", 130));
    }

    [Fact]
    public async Task Read_NoMaster_IsDegraded()
    {
        await Seed(KeepalivedState.Backup, KeepalivedState.Backup, KeepalivedState.Fault);
        var status = await ReadAsync();
        status.Degraded.Should().BeTrue();
        status.VipHolder.Should().BeNull();
        status.Problems.Should().Contain(p => p.Contains("no node reports keepalived MASTER"));
    }

    [Fact]
    public async Task Read_TwoMasters_IsDegradedAndNamesBoth()
    {
        await Seed(KeepalivedState.Master, KeepalivedState.Master, KeepalivedState.Backup);
        var status = await ReadAsync();
        status.Degraded.Should().BeTrue();
        status.Problems.Should().Contain(p => p.Contains("n1, n2"));
    }

    [Fact]
    public async Task Read_InvalidValue_IsReportedWithItsKey()
    {
        await Seed(KeepalivedState.Master, KeepalivedState.Backup, KeepalivedState.Backup);
        await new ClusterSeed(_kv).RawAsync("hamanager/keepalived/nodes/n3", "[]");
        (await ReadAsync()).Problems.Should().Contain(p => p.Contains("hamanager/keepalived/nodes/n3"));
    }

    [Fact]
    public async Task Read_TwoLivePrimaries_IsSplitBrain()
    {
        await SeedWithPostgres();
        var probe = Probe(("10.231.0.11", Primary()), ("10.231.0.12", Primary()), ("10.231.0.13", Standby("10.231.0.11")));
        var status = await new ClusterStatusReader(_kv, new KvKeys(), probe).ReadAsync(CancellationToken.None);
        status.Degraded.Should().BeTrue();
        status.Problems.Should().Contain(p => p.Contains("2 PostgreSQL primaries (n1, n2)"));
    }

    [Fact]
    public async Task Read_HealthyPostgres_ReportsRolesUpstreamsAndLag()
    {
        await SeedWithPostgres();
        await new ClusterSeed(_kv).RawAsync("hamanager/pgbouncer/nodes/n1", """{"target_node":"n1","target_host":"10.231.0.11","since":"2026-01-01T00:00:00Z"}""");
        var probe = Probe(("10.231.0.11", Primary(("n2", 0), ("n3", 4096))), ("10.231.0.12", Standby("10.231.0.11")), ("10.231.0.13", Standby("10.231.0.11")));
        var status = await new ClusterStatusReader(_kv, new KvKeys(), probe).ReadAsync(CancellationToken.None);

        status.Degraded.Should().BeFalse(string.Join("; ", status.Problems));
        status.PostgresMaster.Should().Be("n1");
        status.Nodes.Select(n => n.Postgres.Role).Should().Equal("primary", "standby", "standby");
        status.Nodes[2].Postgres.Upstream.Should().Be("n1");
        status.Nodes[2].Postgres.LagBytes.Should().Be(4096);
        status.Nodes[0].Pgbouncer.Target.Should().Be("n1");
    }

    [Fact]
    public async Task Read_AliveNodeWhosePostgresDoesNotAnswer_IsDegradedNamingIt()
    {
        await SeedWithPostgres();
        var probe = Probe(("10.231.0.11", Primary()), ("10.231.0.12", Standby("10.231.0.11")), ("10.231.0.13", PostgresProbeResult.Unreachable("connection refused")));
        var status = await new ClusterStatusReader(_kv, new KvKeys(), probe).ReadAsync(CancellationToken.None);

        status.Nodes[2].Postgres.Role.Should().Be("unknown");
        status.Degraded.Should().BeTrue("one standby less is one failure from an outage");
        status.Problems.Should().ContainSingle(p => p.StartsWith("PostgreSQL on n3 does not answer", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Read_PgbouncerPointingElsewhere_IsDegraded()
    {
        await SeedWithPostgres();
        await new ClusterSeed(_kv).RawAsync("hamanager/pgbouncer/nodes/n3", """{"target_node":"n2","target_host":"10.231.0.12","since":"2026-01-01T00:00:00Z"}""");
        var probe = Probe(("10.231.0.11", Primary()), ("10.231.0.12", Standby("10.231.0.11")), ("10.231.0.13", Standby("10.231.0.11")));
        var status = await new ClusterStatusReader(_kv, new KvKeys(), probe).ReadAsync(CancellationToken.None);
        status.Problems.Should().Contain(p => p.Contains("pgbouncer on n3 points at n2"));
    }

    [Fact]
    public async Task Read_DeadNodeStillRecordedAsMaster_DoesNotCountAsVipHolder()
    {
        await SeedWithPostgres(KeepalivedState.Master, KeepalivedState.Master, KeepalivedState.Backup);
        var probe = new FakeClusterProbe(new Dictionary<string, bool> { ["n1"] = false, ["n2"] = true, ["n3"] = true },
            new Dictionary<string, PostgresProbeResult> { ["10.231.0.12"] = Primary(), ["10.231.0.13"] = Standby("10.231.0.12") });
        var status = await new ClusterStatusReader(_kv, new KvKeys(), probe).ReadAsync(CancellationToken.None);
        status.VipHolder.Should().Be("n2");
        status.Nodes[0].Keepalived.State.Should().Be("UNREACHABLE");
        status.Problems.Should().Contain(p => p.Contains("node n1 is not an alive Consul member"));
    }

    [Fact]
    public async Task Read_TokenMayNotReadSecrets_ShowsKvRolesSaysWhyAndIsNotDegradedForIt()
    {
        await SeedWithPostgres();
        _kv.FailureInjector = endpoint => endpoint.Contains("secrets/", StringComparison.Ordinal)
            ? new ConsulRequestException("Permission denied", endpoint, 403) : null;
        var probe = Probe(("10.231.0.11", Primary()), ("10.231.0.12", Standby("10.231.0.11")), ("10.231.0.13", Standby("10.231.0.11")));

        var status = await new ClusterStatusReader(_kv, new KvKeys(), probe).ReadAsync(CancellationToken.None);

        status.Degraded.Should().BeFalse(string.Join("; ", status.Problems));
        status.Nodes.Select(n => n.Postgres.Role).Should().Equal("primary", "standby", "standby");
        status.Notes.Should().ContainSingle().Which.Should().Contain("not probed").And.Contain("may not read 'hamanager/secrets/postgres'");
    }

    [Fact]
    public async Task Read_SecretsUnreadableForAnotherReason_StillFails()
    {
        await SeedWithPostgres();
        _kv.FailureInjector = endpoint => endpoint.Contains("secrets/", StringComparison.Ordinal)
            ? new ConsulRequestException("bad request", endpoint, 400) : null;

        var read = () => new ClusterStatusReader(_kv, new KvKeys(), Probe()).ReadAsync(CancellationToken.None);

        await read.Should().ThrowAsync<ConsulRequestException>();
    }

    private async Task SeedWithPostgres(params KeepalivedState[] states)
    {
        await Seed(states.Length == 0 ? [KeepalivedState.Master, KeepalivedState.Backup, KeepalivedState.Backup] : states);
        await new ClusterSeed(_kv).PostgresAsync("n1", null, ("n1", 1, PostgresRole.Primary), ("n2", 2, PostgresRole.Standby), ("n3", 3, PostgresRole.Standby));
    }

    private static FakeClusterProbe Probe(params (string Address, PostgresProbeResult Result)[] results) =>
        new(new Dictionary<string, bool> { ["n1"] = true, ["n2"] = true, ["n3"] = true }, results.ToDictionary(r => r.Address, r => r.Result));

    private static PostgresProbeResult Primary(params (string Standby, long Lag)[] lag) =>
        new("primary", null, lag.ToDictionary(l => l.Standby, l => l.Lag));

    private static PostgresProbeResult Standby(string upstream) =>
        new("standby", System.Net.IPAddress.Parse(upstream), new Dictionary<string, long>());

    private async Task Seed(params KeepalivedState[] states)
    {
        var seed = await new ClusterSeed(_kv).ConfigAsync();
        for (var i = 0; i < states.Length; i++) await seed.NodeAsync($"n{i + 1}", $"10.231.0.{11 + i}", 150 - 10 * i, states[i]);
    }

    private Task<ClusterStatus> ReadAsync() => new ClusterStatusReader(_kv, new KvKeys()).ReadAsync(CancellationToken.None);
}
