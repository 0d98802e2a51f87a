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
    public void Prefixes_AreTheConfigTheDeviceRegistrationsAndTheNodes()
    {
        _reconciler.Prefixes.Should().Equal("hamanager/config", "hamanager/syncthing/devices/", "hamanager/nodes/");
    }

    [Fact]
    public async Task Reconcile_DeviceOfAnUnregisteredNode_IsLeftOutNamingTheKey_AndEverythingElseIsConfigured()
    {
        await SeedAsync("n1", "n2");
        await _seed.SyncthingDeviceAsync("n4", N4, AddressOf("n4")); // a device record alone, no nodes/n4

        var sentence = await ReconcileAsync();

        sentence.Should().Contain("added device n2").And.NotContain("n4");
        _api.Config["devices"]!.AsArray().Select(d => d!["deviceID"]!.GetValue<string>()).Should().Equal(Self, N2);
        SharedWith(_api.Config, "resources").Should().Equal(Self, N2);
        _log.Messages.Should().ContainSingle(m => m.StartsWith("Warning:", StringComparison.Ordinal))
            .Which.Should().Contain("'hamanager/syncthing/devices/n4' is not used: no node 'n4' is registered ('hamanager/nodes/n4' is missing or invalid)");
        _reconciler.Refusals.Should().ContainSingle();

        await ReconcileAsync();
        _log.Messages.Count(m => m.Contains("devices/n4", StringComparison.Ordinal)).Should().Be(1, "a standing refusal is logged once");

        await _seed.NodeAsync("n4", "10.231.0.14", 120);
        (await ReconcileAsync()).Should().Contain("added device n4");
        _reconciler.Refusals.Should().BeEmpty();
        _log.Messages[^1].Should().Contain("no longer refused");
    }

    [Fact]
    public async Task Reconcile_UnregisteredDeviceWithARegisteredNodesId_DoesNotBlockSyncthing()
    {
        await SeedAsync("n1", "n2");
        await _seed.SyncthingDeviceAsync("n9", N2, AddressOf("n2"));

        (await ReconcileAsync()).Should().Contain("added device n2", "a record without a node cannot make a duplicate that freezes syncthing");
    }

    [Fact]
    public async Task Reconcile_FolderOutsideTheAllowedRoots_IsNotAdded_OtherFoldersAndPeersAreConfigured()
    {
        var reconciler = Guarded();
        await _seed.ConfigAsync(folders: [Resources, new() { Id = "other", Path = "/opt/elsewhere" }, new() { Id = "uploads", Path = "/srv/hamanager/uploads" }]);
        await RegisterAsync("n1");
        await RegisterAsync("n2");

        var sentence = await ReconcileAsync(reconciler);

        sentence.Should().Contain("added folder resources").And.Contain("added folder uploads").And.Contain("added device n2").And.NotContain("other");
        FolderIds().Should().Equal("resources", "uploads");
        Directory.Exists(_root.Path + "/opt/elsewhere").Should().BeFalse("a refused folder's directory is not created");
        _log.Messages.Should().ContainSingle(m => m.StartsWith("Warning:", StringComparison.Ordinal)).Which.Should()
            .Contain("'hamanager/config': replicated folder 'other' (path '/opt/elsewhere') is refused on this node: it is not at or below one of syncthing.allowed_roots (/opt/manager/resources, /opt/mgmtworker/env/plugins, /srv/hamanager)");
    }

    [Fact]
    public async Task Reconcile_FolderMovedOutOfTheAllowedRoots_KeepsItsLastGoodConfiguration()
    {
        var reconciler = Guarded();
        await _seed.ConfigAsync(folders: [Resources, new() { Id = "uploads", Path = "/srv/hamanager/uploads" }]);
        await RegisterAsync("n1");
        await RegisterAsync("n2");
        await ReconcileAsync(reconciler);
        var before = _api.ConfigJson;
        var puts = _api.Puts;

        await _seed.ConfigAsync(folders: [Resources, new() { Id = "uploads", Path = "/opt/elsewhere" }]);
        (await ReconcileAsync(reconciler)).Should().BeNull();

        _api.Puts.Should().Be(puts);
        _api.ConfigJson.Should().Be(before, "the refused change leaves syncthing's configuration as it was");
        _log.Messages[^1].Should().Contain("'uploads' (path '/opt/elsewhere') is refused");

        await RegisterAsync("n3");
        (await ReconcileAsync(reconciler)).Should().Contain("added device n3").And.Contain("shared resources with n3");
        Folder("uploads")["path"]!.GetValue<string>().Should().Be(_root.Path + "/srv/hamanager/uploads");
    }

    [Fact]
    public async Task Reconcile_FolderWhoseDirectoryBecameALinkOutOfItsRoot_StopsBeingReplicated()
    {
        var reconciler = Guarded();
        using var outside = new TempDirectory();
        await _seed.ConfigAsync(folders: [Resources, new() { Id = "uploads", Path = "/srv/hamanager/uploads" }]);
        await RegisterAsync("n1");
        await RegisterAsync("n2");
        await ReconcileAsync(reconciler);
        FolderIds().Should().Equal("resources", "uploads");

        Directory.Delete(_root.Path + "/srv/hamanager/uploads");
        File.CreateSymbolicLink(_root.Path + "/srv/hamanager/uploads", outside.Path);
        var sentence = await ReconcileAsync(reconciler);

        sentence.Should().Contain($"removed folder uploads (refused here: on this node {_root.Path}/srv/hamanager/uploads resolves to {outside.Path} through a symbolic link");
        FolderIds().Should().Equal("resources");
    }

    private static readonly ReplicatedFolder Resources = ReplicatedFolder.Defaults[0];

    private SyncthingReconciler Guarded()
    {
        var guard = new ReplicatedFolderGuard(_root.Path, HaManager.Cluster.Settings.SyncthingOptions.DefaultAllowedRoots);
        return new SyncthingReconciler(_api, new KvKeys(), NodeName.Parse("n1"), guard.Place, _log.Logger);
    }

    private List<string> FolderIds() => _api.Config["folders"]!.AsArray().Select(f => f!["id"]!.GetValue<string>()).ToList();

    private JsonObject Folder(string id) => _api.Config["folders"]!.AsArray().Single(f => f!["id"]!.GetValue<string>() == id)!.AsObject();

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
        await _seed.NodeAsync("n3", "10.231.0.13", 130);
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

    private async Task RegisterAsync(string node)
    {
        await _seed.NodeAsync(node, $"10.231.0.{10 + int.Parse(node[1..], System.Globalization.CultureInfo.InvariantCulture)}", 150);
        await _seed.SyncthingDeviceAsync(node, IdOf(node), AddressOf(node));
    }

    private Task<string?> ReconcileAsync() => ReconcileAsync(_reconciler);

    private async Task<string?> ReconcileAsync(SyncthingReconciler reconciler) =>
        await reconciler.ReconcileAsync(await KvSnapshot.ReadAsync(_kv, new KvKeys(), reconciler.Prefixes, CancellationToken.None), CancellationToken.None);

    private static List<string> SharedWith(JsonObject config, string folder) =>
        config["folders"]!.AsArray().Single(f => f!["id"]!.GetValue<string>() == folder)!["devices"]!.AsArray()
            .Select(d => d!["deviceID"]!.GetValue<string>()).ToList();
}
