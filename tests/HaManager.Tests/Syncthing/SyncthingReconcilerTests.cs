using System.Text.Json.Nodes;
using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Model;
using HaManager.Tests.Support;
using HaManager.Watchers.Engine;
using HaManager.Watchers.Syncthing;
using static HaManager.Tests.Syncthing.SyncthingFixtures;

namespace HaManager.Tests.Syncthing;

public sealed class SyncthingReconcilerTests : IDisposable
{
    private readonly InMemoryKvStore _kv = new();
    private readonly TempDirectory _root = new();
    private readonly FakeSyncthingApi _api = new();
    private readonly TestLogger _log = new();
    private readonly SyncthingReconciler _reconciler;
    private readonly ClusterSeed _seed;

    public SyncthingReconcilerTests()
    {
        _seed = new ClusterSeed(_kv);
        _reconciler = new SyncthingReconciler(_api, new KvKeys(), NodeName.Parse("n1"), f => _root.Path + f.Path, _log.Logger);
    }

    public void Dispose() => _root.Dispose();

    [Fact]
    public void Prefixes_AreTheConfigAndTheDeviceRegistrations()
    {
        _reconciler.Prefixes.Should().Equal("hamanager/config", "hamanager/syncthing/devices/");
    }

    [Fact]
    public async Task Reconcile_NewPeer_IsConfiguredWithOnePut()
    {
        await SeedAsync("n1", "n2");
        await ReconcileAsync();
        var puts = _api.Puts;

        await RegisterAsync("n3");
        var sentence = await ReconcileAsync();

        _api.Puts.Should().Be(puts + 1);
        sentence.Should().Contain("added device n3").And.Contain("tcp://10.231.0.13:22000").And.Contain("shared resources with n3");
        var config = _api.Config;
        config["devices"]!.AsArray().Select(d => d!["deviceID"]!.GetValue<string>()).Should().Equal(Self, N2, N3);
        SharedWith(config, "plugins").Should().Equal(Self, N2, N3);
    }

    [Fact]
    public async Task Reconcile_NothingChanged_DoesNotPut()
    {
        await SeedAsync("n1", "n2", "n3");
        (await ReconcileAsync()).Should().NotBeNull();
        var puts = _api.Puts;
        var config = _api.ConfigJson;

        (await ReconcileAsync()).Should().BeNull();
        _api.Puts.Should().Be(puts);
        _api.ConfigJson.Should().Be(config);
    }

    [Fact]
    public async Task Reconcile_FirstRun_CreatesTheFolderDirectoriesUnderTheLocalPath()
    {
        await SeedAsync("n1", "n2");
        await ReconcileAsync();

        var resources = _root.Path + "/opt/manager/resources";
        Directory.Exists(resources).Should().BeTrue();
        Directory.Exists(_root.Path + "/opt/mgmtworker/env/plugins").Should().BeTrue();
        File.GetUnixFileMode(resources).Should().HaveFlag(UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        _api.Config["folders"]!.AsArray().Select(f => f!["path"]!.GetValue<string>())
            .Should().Equal(resources, _root.Path + "/opt/mgmtworker/env/plugins");
    }

    [Theory]
    [InlineData("n9", """{"device_id":"QY2OF5E-NS5AP2G-DA27CX5-76GVHGE-4UONDB2-Q2B4Y4O-WT3FONH-E2PLNQ3","address":"tcp://10.231.0.19:22000"}""", "check character")]
    [InlineData("n9", """{"device_id":"QY2OF5E","address":"tcp://10.231.0.19:22000"}""", "not a syncthing device ID")]
    [InlineData("n9", """{"device_id":"HLD4W7J-SXUJCY7-BDA7FS4-XJOEVQB-5THQSJ6-5PQOOLS-GMK3EHG-PYR44A3","address":"tcp://node9:22000"}""", "not a valid IP address")]
    [InlineData("n9", """{"device_id":null,"address":"tcp://10.231.0.19:22000"}""", "found Null")]
    [InlineData("n 9", """{"device_id":"HLD4W7J-SXUJCY7-BDA7FS4-XJOEVQB-5THQSJ6-5PQOOLS-GMK3EHG-PYR44A3","address":"tcp://10.231.0.19:22000"}""", "valid node name")]
    public async Task Reconcile_InvalidRegistration_AddsTheValidNodeAndLeavesTheBadKeyOut(string node, string value, string reasonFragment)
    {
        await SeedAsync("n1", "n2");
        await ReconcileAsync();
        var puts = _api.Puts;

        await RegisterAsync("n3");
        await _seed.RawAsync($"hamanager/syncthing/devices/{node}", value);
        (await ReconcileAsync()).Should().NotBeNull("the valid join of n3 must not wait for the bad key");

        _api.Puts.Should().Be(puts + 1);
        _api.Config["devices"]!.AsArray().Select(d => d!["deviceID"]!.GetValue<string>()).Should().Equal(Self, N2, N3);
        var catalog = new HaManager.Cluster.Json.KvRecordCatalog(new KvKeys());
        var entry = (await _kv.GetAsync($"hamanager/syncthing/devices/{node}")).Value!;
        catalog.Validate(entry)!.Reason.Should().Contain(reasonFragment);
    }

    [Fact]
    public async Task Reconcile_SameDeviceIdUnderTwoNodes_IsRejected()
    {
        await SeedAsync("n1", "n2");
        await _seed.SyncthingDeviceAsync("n3", N2, AddressOf("n3"));

        (await ReconcileAsync()).Should().BeNull();

        _api.Puts.Should().Be(0);
        _log.Messages.Should().Contain(m => m.StartsWith("Warning:", StringComparison.Ordinal)
            && m.Contains("hamanager/syncthing/devices/n3") && m.Contains($"device ID {N2} is already registered for node n2"));
    }

    [Fact]
    public async Task Reconcile_NoClusterConfigYet_WaitsWithoutAWarning()
    {
        await _seed.SyncthingDeviceAsync("n1", Self, AddressOf("n1"));
        (await ReconcileAsync()).Should().BeNull();

        _api.Puts.Should().Be(0);
        _log.Messages.Should().ContainSingle().Which.Should().StartWith("Information:").And.Contain("no cluster config at 'hamanager/config'");
    }

    [Fact]
    public async Task Reconcile_ApiUnreachable_RetriesLaterWithoutThrowing()
    {
        await SeedAsync("n1", "n2");
        _api.Unreachable = true;

        (await ReconcileAsync()).Should().BeNull();
        (await ReconcileAsync()).Should().BeNull();
        _api.Puts.Should().Be(0);
        _log.Messages.Should().ContainSingle(m => m.StartsWith("Warning:", StringComparison.Ordinal))
            .Which.Should().Contain("could not update syncthing, will retry").And.Contain("is syncthing running?");

        _api.Unreachable = false;
        (await ReconcileAsync()).Should().Contain("added device n2");
        _api.Puts.Should().Be(1);
        SharedWith(_api.Config, "resources").Should().Equal(Self, N2);
        _log.Messages[^1].Should().Contain("in step with KV again");
    }

    [Fact]
    public async Task Reconcile_RegistrationRemoved_DropsTheDevice()
    {
        await SeedAsync("n1", "n2", "n3");
        await ReconcileAsync();

        await _kv.DeleteAsync("hamanager/syncthing/devices/n3");
        (await ReconcileAsync()).Should().Contain("removed device n3");

        _api.Config["devices"]!.AsArray().Select(d => d!["deviceID"]!.GetValue<string>()).Should().Equal(Self, N2);
        SharedWith(_api.Config, "resources").Should().Equal(Self, N2);
    }

    private async Task SeedAsync(params string[] nodes)
    {
        await _seed.ConfigAsync();
        foreach (var node in nodes) await RegisterAsync(node);
    }

    private Task RegisterAsync(string node) => _seed.SyncthingDeviceAsync(node, IdOf(node), AddressOf(node));

    private async Task<string?> ReconcileAsync() =>
        await _reconciler.ReconcileAsync(await KvSnapshot.ReadAsync(_kv, new KvKeys(), _reconciler.Prefixes, CancellationToken.None), CancellationToken.None);

    private static List<string> SharedWith(JsonObject config, string folder) =>
        config["folders"]!.AsArray().Single(f => f!["id"]!.GetValue<string>() == folder)!["devices"]!.AsArray()
            .Select(d => d!["deviceID"]!.GetValue<string>()).ToList();
}
