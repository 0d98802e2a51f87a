using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Tests.Support;
using HaManager.Watchers.Engine;
using HaManager.Watchers.Keepalived;
using HaManager.Watchers.Maintenance;

namespace HaManager.Tests.Watchers;

/// <summary>The maintenance window as each node's watcher follows it, and the VIP track file it holds still.</summary>
public sealed class MaintenanceModeTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly InMemoryKvStore _kv = new();
    private readonly KvKeys _keys = new();
    private readonly ManualTimeProvider _clock = new(Start);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Reconcile_OpenWindow_PausesAndSaysWhoAndWhy()
    {
        var mode = new MaintenanceMode(_keys, _clock);
        await OpenAsync(until: null);

        var sentence = await ReconcileAsync(mode);

        mode.Paused().Should().BeTrue();
        sentence.Should().Contain("maintenance on (by ops@desk: PostgreSQL upgrade)").And.Contain("until 'hamanager maintenance off'")
            .And.Contain("no automatic failover, fencing or VIP move");
        (await ReconcileAsync(mode)).Should().BeNull("a pause that goes on is not news");
    }

    [Fact]
    public async Task Paused_WindowWithAnEnd_EndsByItselfAndSaysSo()
    {
        var mode = new MaintenanceMode(_keys, _clock);
        await OpenAsync(until: Start.AddMinutes(30));
        await ReconcileAsync(mode);
        mode.Paused().Should().BeTrue();

        _clock.Advance(TimeSpan.FromMinutes(30));

        mode.Paused().Should().BeFalse("an expired window pauses nothing, even before the next snapshot");
        (await ReconcileAsync(mode)).Should().Be("maintenance window ended at 2025-06-01 12:30:00Z: automatic failover, fencing and VIP moves resume");
    }

    [Fact]
    public async Task Paused_NoRecordOrRecordDeleted_IsFalse()
    {
        var mode = new MaintenanceMode(_keys, _clock);
        (await ReconcileAsync(mode)).Should().BeNull();
        mode.Paused().Should().BeFalse();

        await OpenAsync(until: null);
        await ReconcileAsync(mode);
        await _kv.DeleteAsync(_keys.Maintenance);

        (await ReconcileAsync(mode)).Should().Be("maintenance off: automatic failover, fencing and VIP moves resume");
        mode.Paused().Should().BeFalse();
    }

    [Fact]
    public async Task VipTrackFile_DuringMaintenance_StaysAsItIs_AndFollowsThePrimaryAfterwards()
    {
        var seed = await new ClusterSeed(_kv).ConfigAsync();
        await (await seed.NodeAsync("n1", "10.231.0.11", 150)).NodeAsync("n2", "10.231.0.12", 140);
        await seed.PostgresAsync("n1", DateTimeOffset.UtcNow, 1, ("n1", 1, PostgresRole.Primary), ("n2", 2, PostgresRole.Standby));
        var trackFile = _dir.File("keepalived-primary");
        File.WriteAllText(trackFile, "0\n");
        var mode = new MaintenanceMode(_keys, _clock);
        var vip = new VipTrackReconciler(_keys, NodeName.Parse("n1"), trackFile, new FakePostgresInstance { State = FakePostgresInstance.Primary() }, mode.Paused);
        await OpenAsync(until: Start.AddHours(1));
        await ReconcileAsync(mode);

        (await vip.ReconcileAsync(await SnapshotAsync(), CancellationToken.None)).Should().BeNull();
        File.ReadAllText(trackFile).Should().Be("0\n", "no VIP move while maintenance is on");

        _clock.Advance(TimeSpan.FromHours(1));
        (await vip.ReconcileAsync(await SnapshotAsync(), CancellationToken.None)).Should().Contain("keepalived raises its priority");
        File.ReadAllText(trackFile).Should().Be("1\n");
    }

    [Fact]
    public void Record_ValidatesItsFields()
    {
        var good = new MaintenanceRecord { By = "ops@desk", Since = Start, Until = Start.AddMinutes(5) };
        good.Validate().Should().BeEmpty();
        (good with { Until = Start }).Validate().Should().ContainSingle().Which.Should().Contain("is not after since");
        (good with { Reason = "two\nlines" }).Validate().Should().ContainSingle().Which.Should().StartWith("reason must be");
        (good with { By = " " }).Validate().Should().ContainSingle().Which.Should().StartWith("by");
    }

    [Fact]
    public void Catalog_JudgesTheMaintenanceKey_SoAnInvalidValueKeepsItsLastValidOne()
    {
        var catalog = new KvRecordCatalog(_keys);
        var entry = new KvEntry(_keys.Maintenance, "{\"by\":\"ops\",\"since\":\"not a time\"}"u8.ToArray(), 1, 1, 0, 0, null);

        catalog.Validate(entry).Should().NotBeNull();
        catalog.Validate(entry with { Value = KvJson.Serialize(new MaintenanceRecord { By = "ops", Since = Start }) }).Should().BeNull();
    }

    private Task OpenAsync(DateTimeOffset? until) =>
        _kv.PutAsync(_keys.Maintenance, KvJson.Serialize(new MaintenanceRecord { By = "ops@desk", Reason = "PostgreSQL upgrade", Since = Start, Until = until }));

    private Task<KvSnapshot> SnapshotAsync() => KvSnapshot.ReadAsync(_kv, _keys, [_keys.Prefix], CancellationToken.None);

    private async Task<string?> ReconcileAsync(MaintenanceMode mode) => await mode.ReconcileAsync(await SnapshotAsync(), CancellationToken.None);
}
