using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Model;
using HaManager.Tests.Support;
using HaManager.Watchers.Engine;
using HaManager.Watchers.Notify;
using HaManager.Watchers.Postgres;
using HaManager.Watchers.Processes;

namespace HaManager.Tests.Postgres;

/// <summary>The decisions that must NOT fence; the fencing itself (stop + repmgr node rejoin) is proven in the lab.</summary>
public sealed class PostgresFencerTests : IDisposable
{
    private readonly InMemoryKvStore _kv = new();
    private readonly TempDirectory _dir = new();
    private readonly RecordingServiceManager _services = new();
    private readonly TestLogger _log = new();

    private bool? HasLeader { get; set; } = true;

    private FakePostgresInstance Postgres { get; } = new() { State = FakePostgresInstance.Primary(freshStandbys: 0) };

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Reconcile_NoConsulLeaderForLong_StopsTheLocalPrimaryOnce()
    {
        var (fencer, settings) = await SetupAsync(masterSince: DateTimeOffset.UtcNow);
        HasLeader = false;
        settings.Postgres.FenceWithoutQuorumSeconds = 1;
        (await ReconcileAsync(fencer)).Should().BeNull("the first cycle without a leader only starts the clock");
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        (await ReconcileAsync(fencer)).Should().Contain("no leader");
        _services.Calls.Should().Equal("stop postgresql");
        File.Exists(PostgresWatcherFactory.Local(settings).QuorumFenceFile).Should().BeTrue();
    }

    [Fact]
    public async Task Reconcile_LocalConsulAgentDownAndNoStandby_IsTreatedLikeNoLeader()
    {
        var (fencer, settings) = await SetupAsync(masterSince: DateTimeOffset.UtcNow);
        settings.Postgres.FenceWithoutQuorumSeconds = 1;
        HasLeader = null;
        (await ReconcileAsync(fencer)).Should().BeNull();
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        (await ReconcileAsync(fencer)).Should().Contain("the local Consul agent does not answer").And.Contain("no standby");
        _services.Calls.Should().Equal("stop postgresql");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(null)]
    public async Task Reconcile_ConsulOutageButAStandbyStreams_KeepsThePrimaryRunning(bool? leader)
    {
        var (fencer, settings) = await SetupAsync(masterSince: DateTimeOffset.UtcNow);
        settings.Postgres.FenceWithoutQuorumSeconds = 1;
        Postgres.State = FakePostgresInstance.Primary(freshStandbys: 1);
        HasLeader = leader;
        (await ReconcileAsync(fencer)).Should().BeNull();
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        (await ReconcileAsync(fencer)).Should().BeNull("a standby streaming from it proves the other side cannot be promoting");
        _services.Calls.Should().BeEmpty();
    }

    [Fact]
    public async Task Reconcile_StandbyStopsStreamingDuringTheOutage_FencesAfterTheFullPeriod()
    {
        var (fencer, settings) = await SetupAsync(masterSince: DateTimeOffset.UtcNow);
        settings.Postgres.FenceWithoutQuorumSeconds = 1;
        HasLeader = false;
        Postgres.State = FakePostgresInstance.Primary(freshStandbys: 1);
        await ReconcileAsync(fencer);
        Postgres.State = FakePostgresInstance.Primary(freshStandbys: 0);
        (await ReconcileAsync(fencer)).Should().BeNull("the clock starts when the last standby stops streaming");
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        (await ReconcileAsync(fencer)).Should().Contain("cut off");
    }

    [Fact]
    public async Task Reconcile_QuorumFencedButAConsistentReadNamesAnother_DoesNotStart()
    {
        var (fencer, settings) = await SetupAsync(masterSince: DateTimeOffset.UtcNow, master: "n1", timeline: 1);
        var local = PostgresWatcherFactory.Local(settings);
        Directory.CreateDirectory(Path.GetDirectoryName(local.QuorumFenceFile)!);
        File.WriteAllText(local.QuorumFenceFile, "stopped\n");
        _services.Running = false;
        var stale = await KvSnapshot.ReadAsync(_kv, new KvKeys(), fencer.Prefixes, CancellationToken.None);
        await new ClusterSeed(_kv).PostgresAsync("n2", DateTimeOffset.UtcNow, 2, ("n1", 1, PostgresRole.Primary), ("n2", 2, PostgresRole.Primary));

        (await fencer.ReconcileAsync(stale, CancellationToken.None)).Should().BeNull("the stale snapshot still names n1, the consistent read does not");
        _services.Calls.Should().NotContain("start postgresql");
    }

    [Fact]
    public async Task Reconcile_LocalTimelineAheadOfTheRegisteredMaster_WaitsForKv()
    {
        var (fencer, settings) = await SetupAsync(masterSince: DateTimeOffset.UtcNow.AddMinutes(1), timeline: 2);
        WriteHistory(settings, 3);
        (await ReconcileAsync(fencer)).Should().BeNull("this node promoted after the registered master: its record is on its way");
        _services.Calls.Should().BeEmpty();
    }

    [Theory]
    [InlineData(2, 2)]
    [InlineData(1, 2)]
    public async Task Reconcile_RegisteredMasterOnTheSameOrALaterTimeline_StopsTheLocalPrimary(int localTimeline, int masterTimeline)
    {
        // The registered master's time lies in the past and the local promotion marker in the future: clocks never decide.
        var (fencer, settings) = await SetupAsync(masterSince: DateTimeOffset.UtcNow.AddHours(-1), timeline: masterTimeline);
        await PostgresWatcherFactory.Local(settings).WritePromotedAtAsync(DateTimeOffset.UtcNow.AddHours(1), CancellationToken.None);
        if (localTimeline > 1) WriteHistory(settings, localTimeline);

        var act = () => ReconcileAsync(fencer);

        (await act.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("staying stopped", "the fake master does not answer the rewind");
        _services.Calls.Should().StartWith("stop postgresql");
        _runner.Commands.Should().Contain(c => c.Contains("pg_rewind"));
    }

    [Fact]
    public async Task Reconcile_SupersededPrimaryDuringMaintenance_IsLeftRunning_AndFencedOnceMaintenanceEnds()
    {
        var (fencer, settings) = await SetupAsync(masterSince: DateTimeOffset.UtcNow.AddHours(-1), timeline: 2, paused: () => Paused);
        Paused = true;

        (await ReconcileAsync(fencer)).Should().BeNull("maintenance pauses fencing");
        _services.Calls.Should().BeEmpty();

        Paused = false;
        await FluentActions.Awaiting(() => ReconcileAsync(fencer)).Should().ThrowAsync<InvalidOperationException>("the fake master does not answer the rewind");
        _services.Calls.Should().StartWith("stop postgresql");
    }

    private bool Paused { get; set; }

    private static void WriteHistory(HaManager.Cluster.Settings.HaManagerSettings settings, int timeline)
    {
        var wal = Path.Combine(settings.Postgres.DataDir, "pg_wal");
        Directory.CreateDirectory(wal);
        File.WriteAllText(Path.Combine(wal, $"{timeline:X8}.history"), "1\t0/5000000\tno recovery target specified\n");
    }

    [Fact]
    public async Task Reconcile_QuorumBackAndStillMaster_StartsThePrimaryAgain()
    {
        var (fencer, settings) = await SetupAsync(masterSince: DateTimeOffset.UtcNow, master: "n1");
        var local = PostgresWatcherFactory.Local(settings);
        Directory.CreateDirectory(Path.GetDirectoryName(local.QuorumFenceFile)!);
        File.WriteAllText(local.QuorumFenceFile, "stopped\n");
        _services.Running = false;

        (await ReconcileAsync(fencer)).Should().Contain("started the primary again");
        _services.Calls.Should().Equal("start postgresql");
        File.Exists(local.QuorumFenceFile).Should().BeFalse();
    }

    [Fact]
    public async Task Reconcile_PrimaryPromotedAfterTheRegisteredMaster_WaitsForKvInsteadOfFencing()
    {
        var (fencer, settings) = await SetupAsync(masterSince: DateTimeOffset.UtcNow.AddSeconds(-10));
        await PostgresWatcherFactory.Local(settings).WritePromotedAtAsync(DateTimeOffset.UtcNow, CancellationToken.None);

        (await ReconcileAsync(fencer)).Should().BeNull();
        _services.Calls.Should().BeEmpty();
    }

    [Fact]
    public async Task Reconcile_MasterIsAnUnregisteredNode_NeverFences()
    {
        var (fencer, _) = await SetupAsync(masterSince: DateTimeOffset.UtcNow);
        await new ClusterSeed(_kv).RawAsync("hamanager/postgres/master", """{"node":"n9","host":"10.231.0.19","port":5432,"node_id":9,"since":"2030-01-01T00:00:00Z"}""");

        (await ReconcileAsync(fencer)).Should().BeNull();
        _services.Calls.Should().BeEmpty();
    }

    [Fact]
    public async Task Reconcile_LocalNodeIsAStandby_LeavesItAlone()
    {
        var (fencer, settings) = await SetupAsync(masterSince: DateTimeOffset.UtcNow);
        File.WriteAllText(Path.Combine(settings.Postgres.DataDir, "standby.signal"), string.Empty);
        (await ReconcileAsync(fencer)).Should().BeNull();
        _services.Calls.Should().BeEmpty();
    }

    private readonly FakeProcessRunner _runner = new();

    private async Task<(PostgresFencer Fencer, HaManager.Cluster.Settings.HaManagerSettings Settings)> SetupAsync(DateTimeOffset masterSince, string master = "n2", int? timeline = null,
        Func<bool>? paused = null)
    {
        var seed = await new ClusterSeed(_kv).ConfigAsync();
        await (await seed.NodeAsync("n1", "10.231.0.11", 150)).NodeAsync("n2", "10.231.0.12", 140);
        await seed.PostgresAsync(master, masterSince, timeline, ("n1", 1, PostgresRole.Primary), ("n2", 2, PostgresRole.Primary));
        var settings = PostgresWatcherFactory.Settings(_dir.Path);
        PostgresWatcherFactory.FakeDataDirectory(settings, standby: false);
        var local = PostgresWatcherFactory.Local(settings);
        var fencer = new PostgresFencer(_kv, new KvKeys(), NodeName.Parse("n1"), local, Postgres, _services,
            new PostgresRejoin(local, _services, _runner, _log.Logger),
            new NotifyHook(new TransitionRecorder(_kv, new KvKeys(), _log.Logger), new NotifySpool(Path.Combine(_dir.Path, "spool"), _log.Logger), TimeSpan.FromSeconds(3), _log.Logger),
            _ => Task.FromResult<bool?>(HasLeader), _log.Logger, paused);
        return (fencer, settings);
    }

    private async Task<string?> ReconcileAsync(PostgresFencer fencer) =>
        await fencer.ReconcileAsync(await KvSnapshot.ReadAsync(_kv, new KvKeys(), fencer.Prefixes, CancellationToken.None), CancellationToken.None);
}
