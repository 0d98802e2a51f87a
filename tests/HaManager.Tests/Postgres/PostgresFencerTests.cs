using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Model;
using HaManager.Tests.Support;
using HaManager.Watchers.Engine;
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
    public async Task Reconcile_LocalConsulAgentDown_KeepsThePrimaryRunning()
    {
        var (fencer, settings) = await SetupAsync(masterSince: DateTimeOffset.UtcNow);
        settings.Postgres.FenceWithoutQuorumSeconds = 1;
        HasLeader = null;
        (await ReconcileAsync(fencer)).Should().BeNull();
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        (await ReconcileAsync(fencer)).Should().BeNull();
        _services.Calls.Should().BeEmpty();
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

    private async Task<(PostgresFencer Fencer, HaManager.Cluster.Settings.HaManagerSettings Settings)> SetupAsync(DateTimeOffset masterSince, string master = "n2")
    {
        var seed = await new ClusterSeed(_kv).ConfigAsync();
        await (await seed.NodeAsync("n1", "10.231.0.11", 150)).NodeAsync("n2", "10.231.0.12", 140);
        await seed.PostgresAsync(master, masterSince, ("n1", 1, PostgresRole.Primary), ("n2", 2, PostgresRole.Primary));
        var settings = PostgresWatcherFactory.Settings(_dir.Path);
        PostgresWatcherFactory.FakeDataDirectory(settings, standby: false);
        var local = PostgresWatcherFactory.Local(settings);
        var fencer = new PostgresFencer(_kv, new KvKeys(), NodeName.Parse("n1"), local, _services,
            new PostgresRejoin(local, _services, new ProcessRunner(_log.Logger), _log.Logger), _ => Task.FromResult<bool?>(HasLeader), _log.Logger);
        return (fencer, settings);
    }

    private async Task<string?> ReconcileAsync(PostgresFencer fencer) =>
        await fencer.ReconcileAsync(await KvSnapshot.ReadAsync(_kv, new KvKeys(), fencer.Prefixes, CancellationToken.None), CancellationToken.None);
}
