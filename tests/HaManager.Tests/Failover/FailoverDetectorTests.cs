using System.Net;
using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Tests.Postgres;
using HaManager.Tests.Support;
using HaManager.Watchers.Engine;
using HaManager.Watchers.Failover;
using HaManager.Watchers.Maintenance;
using HaManager.Watchers.Notify;
using HaManager.Watchers.Postgres;

namespace HaManager.Tests.Failover;

public sealed class FailoverDetectorTests : IDisposable
{
    private static readonly FailoverTiming Fast = new(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100),
        TimeSpan.FromMilliseconds(800), TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(200));

    // Same cadence, but a starved thread pool (parallel tests on 2 cores) cannot make an answering primary look silent.
    private static readonly FailoverTiming FastProbesPatientVerdict = Fast with { PeerAgreeAfter = TimeSpan.FromSeconds(5), FailoverAfter = TimeSpan.FromSeconds(10) };

    private readonly InMemoryKvStore _kv = new();
    private readonly TempDirectory _dir = new();
    private readonly TestLogger _log = new();
    private readonly FakePostgresInstance _postgres = new() { State = FakePostgresInstance.Standby(0x5003908, "10.231.0.11") };
    private readonly FakePeers _peers = new();
    private bool _primaryAnswers;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Cycle_PrimarySilentAndTheOtherStandbyAgrees_PromotesAndRegistersTheNewMaster()
    {
        var (detector, settings) = await SetupAsync();
        _peers.Views["n3"] = new ObserverView
        {
            Node = "n3", PrimaryNode = "n1", Role = ObserverView.Standby, Lsn = "0/5003000", Priority = 130, PrimaryUnreachableMilliseconds = 1000,
        };
        _postgres.OnPromote = () =>
        {
            // PostgreSQL writes the new timeline's history file as it promotes.
            Directory.CreateDirectory(Path.Combine(settings.Postgres.DataDir, "pg_wal"));
            File.WriteAllText(Path.Combine(settings.Postgres.DataDir, "pg_wal", "00000002.history"), "1\t0/5003908\tno recovery target specified\n");
            return Task.CompletedTask;
        };

        var decision = await RunUntilAsync(detector, d => d?.Action == FailoverAction.Promote);

        decision!.Sentence.Should().EndWith("promoting n2");
        _postgres.Calls.Should().StartWith("promote").And.Contain("slots repmgr_slot_1,repmgr_slot_3");
        var master = KvJson.Parse<PostgresMasterRecord>((await _kv.GetAsync("hamanager/postgres/master")).Value!);
        master.Node.Value.Should().Be("n2");
        master.Timeline.Should().Be(2);
        _log.Messages.Should().Contain(m => m.Contains("Promoted the local PostgreSQL to primary on timeline 2"));
    }

    [Fact]
    public async Task Cycle_PrimaryAnswersAgainBeforeTheThreshold_NeverAsksForAVote()
    {
        var (detector, _) = await SetupAsync(FastProbesPatientVerdict);
        _primaryAnswers = true;
        for (var i = 0; i < 20; i++)
        {
            detector.StartProbe(CancellationToken.None);
            (await detector.CycleAsync(CancellationToken.None)).Should().BeNull();
            await Task.Delay(20);
        }

        _peers.Asked.Should().Be(0);
        (detector.CurrentView.PrimaryUnreachableMilliseconds ?? 0).Should().BeLessThan((long)FastProbesPatientVerdict.PeerAgreeAfter.TotalMilliseconds);
        _postgres.Calls.Should().BeEmpty();
    }

    [Fact]
    public async Task Cycle_OtherStandbyStillReachesThePrimary_NeverPromotes()
    {
        var (detector, _) = await SetupAsync();
        _peers.Views["n3"] = new ObserverView { Node = "n3", PrimaryNode = "n1", Role = ObserverView.Standby, Lsn = "0/5003000", PrimaryReachable = true };

        var decision = await RunUntilAsync(detector, d => d?.Action == FailoverAction.Wait && d.Sentence.Contains("no failover", StringComparison.Ordinal));

        decision!.Sentence.Should().Contain("still reached by n3");
        _postgres.Calls.Should().NotContain("promote");
    }

    [Fact]
    public async Task Cycle_ConsulHasNoLeaderForTheConsistentRead_WaitsWithoutPromoting()
    {
        var (detector, _) = await SetupAsync();
        _peers.Views["n3"] = new ObserverView { Node = "n3", PrimaryNode = "n1", Role = ObserverView.Standby, Lsn = "0/5003000", PrimaryUnreachableMilliseconds = 1000 };
        _kv.Unavailable = true;

        var decision = await RunUntilAsync(detector, d => d?.Sentence.StartsWith("not promoting yet", StringComparison.Ordinal) == true);

        decision!.Action.Should().Be(FailoverAction.Wait);
        _postgres.Calls.Should().NotContain("promote", "without Consul the other standby could not learn of it and follow");
    }

    [Fact]
    public async Task Cycle_PrimarySilentDuringMaintenance_WaitsWithoutPromoting_AndPromotesOnceMaintenanceIsOff()
    {
        var keys = new KvKeys();
        var maintenance = new MaintenanceMode(keys);
        var (detector, _) = await SetupAsync(paused: maintenance.Paused);
        _peers.Views["n3"] = new ObserverView { Node = "n3", PrimaryNode = "n1", Role = ObserverView.Standby, Lsn = "0/5003000", PrimaryUnreachableMilliseconds = 1000 };
        await _kv.PutAsync(keys.Maintenance, KvJson.Serialize(new MaintenanceRecord { By = "ops@desk", Reason = "upgrade", Since = DateTimeOffset.UtcNow }));
        await maintenance.ReconcileAsync(await KvSnapshot.ReadAsync(_kv, keys, maintenance.Prefixes, CancellationToken.None), CancellationToken.None);

        var waiting = await RunUntilAsync(detector, d => d is not null);

        waiting!.Action.Should().Be(FailoverAction.Wait);
        waiting.Sentence.Should().Contain("paused (a maintenance window or a planned switchover)");
        _postgres.Calls.Should().NotContain("promote");

        await _kv.DeleteAsync(keys.Maintenance);
        await maintenance.ReconcileAsync(await KvSnapshot.ReadAsync(_kv, keys, maintenance.Prefixes, CancellationToken.None), CancellationToken.None);
        var decision = await RunUntilAsync(detector, d => d?.Action == FailoverAction.Promote);

        decision!.Sentence.Should().EndWith("promoting n2");
    }

    private async Task<FailoverDecision?> RunUntilAsync(FailoverDetector detector, Func<FailoverDecision?, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            detector.StartProbe(CancellationToken.None);
            var decision = await detector.CycleAsync(CancellationToken.None);
            if (done(decision)) return decision;
            await Task.Delay(20);
        }

        throw new TimeoutException("the detector never reached the expected decision; log:\n" + string.Join('\n', _log.Messages));
    }

    private async Task<(FailoverDetector Detector, HaManager.Cluster.Settings.HaManagerSettings Settings)> SetupAsync(FailoverTiming? timing = null, Func<bool>? paused = null)
    {
        var seed = await new ClusterSeed(_kv).ConfigAsync();
        for (var i = 1; i <= 3; i++) await seed.NodeAsync($"n{i}", $"10.231.0.{10 + i}", 160 - 10 * i);
        await seed.PostgresAsync("n1", DateTimeOffset.UtcNow, 1, ("n1", 1, PostgresRole.Primary), ("n2", 2, PostgresRole.Standby), ("n3", 3, PostgresRole.Standby));
        var settings = PostgresWatcherFactory.Settings(_dir.Path, "n2", "10.231.0.12");
        PostgresWatcherFactory.FakeDataDirectory(settings, standby: true);
        var local = PostgresWatcherFactory.Local(settings);
        var keys = new KvKeys();
        var node = NodeName.Parse("n2");
        var hook = new NotifyHook(new TransitionRecorder(_kv, keys, _log.Logger), new NotifySpool(_dir.File("spool"), _log.Logger), TimeSpan.FromSeconds(3), _log.Logger);
        var promoter = new FailoverPromoter(_kv, keys, node, IPAddress.Parse("10.231.0.12"), 5432, _postgres, local, hook, new FakeProcessRunner(), _log.Logger);
        var detector = new FailoverDetector(node, _postgres, local, _peers, promoter, timing ?? Fast, enabled: true, _log.Logger, paused,
            probe: (_, _, _, _) => Task.FromResult(_primaryAnswers));
        detector.OnSnapshot(await KvSnapshot.ReadAsync(_kv, keys, [keys.Prefix], CancellationToken.None));
        return (detector, settings);
    }

    private sealed class FakePeers : IPeerObservers
    {
        public Dictionary<string, ObserverView?> Views { get; } = new(StringComparer.Ordinal);
        public int Asked { get; private set; }

        public Task<IReadOnlyDictionary<string, ObserverView?>> AskAsync(IReadOnlyList<(string Node, IPAddress Address)> peers, TimeSpan timeout, CancellationToken cancellationToken)
        {
            Asked++;
            return Task.FromResult<IReadOnlyDictionary<string, ObserverView?>>(peers.ToDictionary(p => p.Node, p => Views.GetValueOrDefault(p.Node), StringComparer.Ordinal));
        }
    }
}
