using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Tests.Postgres;
using HaManager.Tests.Support;
using HaManager.Watchers.Engine;
using HaManager.Watchers.Failover;
using HaManager.Watchers.Notify;
using HaManager.Watchers.Postgres;
using HaManager.Watchers.Switchover;

namespace HaManager.Tests.Switchover;

/// <summary>The watcher-side steps of a switchover: the old primary's clean stop and rollback, the target's catch-up and promotion.</summary>
public sealed class SwitchoverParticipantTests : IDisposable
{
    private const string ControlData = "pg_control version number:            1300\nDatabase cluster state:               shut down\nLatest checkpoint location:           0/5003908\n";
    private readonly InMemoryKvStore _kv = new();
    private readonly KvKeys _keys = new();
    private readonly TempDirectory _dir = new();
    private readonly RecordingServiceManager _services = new();
    private readonly FakeProcessRunner _runner = new();
    private readonly TestLogger _log = new();
    private readonly PlannedSwitchover _planned = new();

    private FakePostgresInstance Postgres { get; } = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task OldPrimary_Stopping_StopsCleanlyAndReportsTheShutdownCheckpoint()
    {
        var participant = await SetupAsync("n1", standby: false);
        _runner.OutputFor = c => c.Any(w => w.EndsWith("pg_controldata", StringComparison.Ordinal)) ? ControlData : string.Empty;
        _runner.ExitCodeFor = _ => 0;
        await StartAsync(SwitchoverRecord.Stopping);

        (await ReconcileAsync(participant)).Should().Contain("stopped PostgreSQL cleanly").And.Contain("0/5003908");
        _services.Calls.Should().Equal("stop postgresql");
        var record = await RecordAsync();
        record.Phase.Should().Be(SwitchoverRecord.Stopped);
        record.StopLsn.Should().Be("0/5003908");
        _planned.IsActive().Should().BeTrue("the detector and the fencer leave the planned stop alone");
    }

    [Fact]
    public async Task OldPrimary_NotShutDownCleanly_ReportsFailed()
    {
        var participant = await SetupAsync("n1", standby: false);
        _runner.OutputFor = _ => ControlData.Replace("shut down", "in production", StringComparison.Ordinal);
        _runner.ExitCodeFor = _ => 0;
        await StartAsync(SwitchoverRecord.Stopping);

        (await ReconcileAsync(participant)).Should().Contain("failed");
        var record = await RecordAsync();
        record.Phase.Should().Be(SwitchoverRecord.Failed);
        record.Error.Should().Contain("not shut down cleanly");
    }

    [Fact]
    public async Task Target_ReceivedTheCheckpoint_ClaimsAndPromotesAndRegistersTheNewMaster()
    {
        var participant = await SetupAsync("n2", standby: true);
        Postgres.State = FakePostgresInstance.Standby(0x5003990, "10.231.0.11");
        // As PostgreSQL does on promotion: the new timeline's history file, from which the claim takes the timeline.
        Postgres.OnPromote = () =>
        {
            var wal = Path.Combine(_dir.Path, "data", "pg_wal");
            Directory.CreateDirectory(wal);
            File.WriteAllText(Path.Combine(wal, "00000002.history"), "1\t0/5003990\tno recovery target specified\n");
            return Task.CompletedTask;
        };
        await StartAsync(SwitchoverRecord.Stopped, stopLsn: "0/5003908");

        (await ReconcileAsync(participant)).Should().Contain("claimed the promotion");
        await participant.Promotion;
        Postgres.Calls.Should().Contain("promote");
        var master = KvJson.Parse<PostgresMasterRecord>((await _kv.GetAsync(_keys.PostgresMaster)).Value!);
        master.Node.Value.Should().Be("n2");
        (await RecordAsync()).Phase.Should().Be(SwitchoverRecord.Promoted);
        (await _kv.ListAsync(_keys.TransitionsPrefix)).Value.Should().Contain(e => e.ValueAsString().Contains(RepmgrEvent.HamanagerSwitchoverPromote, StringComparison.Ordinal) || e.ValueAsString().Contains("planned switchover", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Target_NeverReceivedTheCheckpoint_ReportsFailedAndDoesNotPromote()
    {
        var participant = await SetupAsync("n2", standby: true, catchUp: TimeSpan.FromMilliseconds(100));
        Postgres.State = FakePostgresInstance.Standby(0x5003000, "10.231.0.11");
        await StartAsync(SwitchoverRecord.Stopped, stopLsn: "0/5003908");

        (await ReconcileAsync(participant)).Should().Contain("not the old primary's shutdown checkpoint 0/5003908");
        Postgres.Calls.Should().NotContain("promote");
        (await RecordAsync()).Phase.Should().Be(SwitchoverRecord.Failed);
        KvJson.Parse<PostgresMasterRecord>((await _kv.GetAsync(_keys.PostgresMaster)).Value!).Node.Value.Should().Be("n1");
    }

    [Fact]
    public async Task Target_RollbackAlreadyAsked_DoesNotPromote()
    {
        var participant = await SetupAsync("n2", standby: true);
        Postgres.State = FakePostgresInstance.Standby(0x5003990, "10.231.0.11");
        await StartAsync(SwitchoverRecord.RollingBack, stopLsn: "0/5003908");

        (await ReconcileAsync(participant)).Should().BeNull();
        Postgres.Calls.Should().NotContain("promote");
    }

    [Fact]
    public async Task OldPrimary_RollingBack_StartsItAgainAsThePrimary()
    {
        var participant = await SetupAsync("n1", standby: false);
        _services.Running = false;
        await StartAsync(SwitchoverRecord.RollingBack, stopLsn: "0/5003908");

        (await ReconcileAsync(participant)).Should().Contain("rolled back");
        _services.Calls.Should().Equal("start postgresql");
        (await RecordAsync()).Phase.Should().Be(SwitchoverRecord.RolledBack);
    }

    [Fact]
    public async Task ExpiredRecord_IsIgnored()
    {
        var participant = await SetupAsync("n1", standby: false);
        await StartAsync(SwitchoverRecord.Stopping, deadline: DateTimeOffset.UtcNow.AddSeconds(-1));

        (await ReconcileAsync(participant)).Should().BeNull();
        _services.Calls.Should().BeEmpty();
        _planned.IsActive().Should().BeFalse();
    }

    private async Task<SwitchoverParticipant> SetupAsync(string self, bool standby, TimeSpan? catchUp = null)
    {
        var seed = await new ClusterSeed(_kv).ConfigAsync();
        await (await (await seed.NodeAsync("n1", "10.231.0.11", 150)).NodeAsync("n2", "10.231.0.12", 140)).NodeAsync("n3", "10.231.0.13", 130);
        await seed.PostgresAsync("n1", DateTimeOffset.UtcNow, 1, ("n1", 1, PostgresRole.Primary), ("n2", 2, PostgresRole.Standby), ("n3", 3, PostgresRole.Standby));
        var settings = PostgresWatcherFactory.Settings(_dir.Path, self, self == "n1" ? "10.231.0.11" : "10.231.0.12");
        PostgresWatcherFactory.FakeDataDirectory(settings, standby);
        var local = PostgresWatcherFactory.Local(settings);
        var node = NodeName.Parse(self);
        var hook = new NotifyHook(new TransitionRecorder(_kv, _keys, _log.Logger), new NotifySpool(Path.Combine(_dir.Path, "spool"), _log.Logger), TimeSpan.FromSeconds(3), _log.Logger);
        var promoter = new FailoverPromoter(_kv, _keys, node, IpAddresses.Parse(settings.Node.Address), 5432, Postgres, local, hook, _runner, _log.Logger);
        return new SwitchoverParticipant(_kv, _keys, node, local, Postgres, _services, new PostgresControlData(local, _runner), promoter, _planned, _log.Logger, catchUp);
    }

    private async Task StartAsync(string phase, string? stopLsn = null, DateTimeOffset? deadline = null)
    {
        var now = DateTimeOffset.UtcNow;
        var record = new SwitchoverRecord
        {
            From = NodeName.Parse("n1"), To = NodeName.Parse("n2"), By = "root@n3", Phase = phase, Started = now.AddSeconds(-2),
            Deadline = deadline ?? now.AddSeconds(60), StopLsn = stopLsn,
        };
        (await _kv.PutAsync(_keys.Switchover, KvJson.Serialize(record))).Should().BeTrue();
    }

    private async Task<SwitchoverRecord> RecordAsync() => KvJson.Parse<SwitchoverRecord>((await _kv.GetAsync(_keys.Switchover)).Value!);

    private async Task<string?> ReconcileAsync(SwitchoverParticipant participant) =>
        await participant.ReconcileAsync(await KvSnapshot.ReadAsync(_kv, _keys, participant.Prefixes, CancellationToken.None), CancellationToken.None);
}
