using System.Text.Json.Nodes;
using HaManager.Watchers.Syncthing;
using static HaManager.Tests.Syncthing.SyncthingFixtures;

namespace HaManager.Tests.Syncthing;

public sealed class SyncthingConfigMergeTests
{
    private static readonly SyncthingFolder[] DefaultFolders =
        [new("resources", "/opt/manager/resources"), new("plugins", "/opt/mgmtworker/env/plugins")];

    /// <summary>Starts from syncthing's own configuration after bootstrap: this device only, no folders.</summary>
    private JsonObject _config = FakeSyncthingApi.InitialConfig();

    [Fact]
    public void Apply_NewPeers_AreAddedFromTheDefaultsWithNameAndOneTcpAddress()
    {
        var changes = Apply(Peer("n2"), Peer("n3"));

        changes.Should().Contain(c => c.StartsWith("added device n2 (QY2OF5E, tcp://10.231.0.12:22000)", StringComparison.Ordinal))
            .And.Contain(c => c.StartsWith("added device n3 (IWQNTZB, tcp://10.231.0.13:22000)", StringComparison.Ordinal));
        var n2 = Device(N2);
        n2["name"]!.GetValue<string>().Should().Be("n2");
        Strings(n2["addresses"]).Should().Equal("tcp://10.231.0.12:22000");
        n2["compression"]!.GetValue<string>().Should().Be("metadata", "a new device starts from syncthing's device defaults");
        n2["autoAcceptFolders"]!.GetValue<bool>().Should().BeFalse();
        DeviceIds().Should().Equal(Self, N2, N3);
    }

    [Fact]
    public void Apply_ChangedAddress_IsUpdatedInPlace()
    {
        Apply(Peer("n2"), Peer("n3"));
        var changes = Apply(Peer("n2", "tcp://10.231.0.22:22001"), Peer("n3"));

        changes.Should().Equal("set n2's address to tcp://10.231.0.22:22001");
        Strings(Device(N2)["addresses"]).Should().Equal("tcp://10.231.0.22:22001");
        Strings(Device(N3)["addresses"]).Should().Equal("tcp://10.231.0.13:22000");
        DeviceIds().Should().Equal(Self, N2, N3);
    }

    [Fact]
    public void Apply_DynamicOrExtraAddresses_AreReplacedByTheRegisteredOne()
    {
        Apply(Peer("n2"));
        Device(N2)["addresses"] = new JsonArray("dynamic", "tcp://10.231.0.12:22000");

        Apply(Peer("n2")).Should().Equal("set n2's address to tcp://10.231.0.12:22000");
        Strings(Device(N2)["addresses"]).Should().Equal("tcp://10.231.0.12:22000");
    }

    [Fact]
    public void Apply_RenamedDevice_IsReportedAsAChange()
    {
        Apply(Peer("n2"));
        Device(N2)["name"] = "old-name";

        Apply(Peer("n2")).Should().Equal("renamed device QY2OF5E from 'old-name' to n2");
        Device(N2)["name"]!.GetValue<string>().Should().Be("n2");
    }

    [Fact]
    public void Apply_DeviceNoLongerRegistered_IsRemovedAndUnshared()
    {
        Apply(Peer("n2"), Peer("n3"));
        var changes = Apply(Peer("n2"));

        changes.Should().Contain("removed device n3 (IWQNTZB): no longer registered")
            .And.Contain("unshared resources from 1 unregistered device(s)").And.Contain("unshared plugins from 1 unregistered device(s)");
        DeviceIds().Should().Equal(Self, N2);
        FolderDevices("resources").Should().Equal(Self, N2);
    }

    [Fact]
    public void Apply_NoPeersAtAll_NeverRemovesThisDevice()
    {
        Apply(Peer("n2"));
        Apply().Should().Contain(c => c.StartsWith("removed device n2", StringComparison.Ordinal));

        DeviceIds().Should().Equal(Self);
        Device(Self)["name"]!.GetValue<string>().Should().Be("n1");
        FolderDevices("plugins").Should().Equal(Self);
    }

    [Fact]
    public void Apply_MissingFolders_AreAddedFromTheDefaultsAndSharedWithEveryDevice()
    {
        var changes = Apply(Peer("n2"), Peer("n3"));

        changes.Should().Contain("added folder resources (/opt/manager/resources)").And.Contain("added folder plugins (/opt/mgmtworker/env/plugins)")
            .And.NotContain(c => c.StartsWith("set resources.", StringComparison.Ordinal), "a new folder's settings are part of adding it");
        var folder = Folder("resources");
        folder["label"]!.GetValue<string>().Should().Be("resources");
        folder["path"]!.GetValue<string>().Should().Be("/opt/manager/resources");
        folder["type"]!.GetValue<string>().Should().Be("sendreceive");
        folder["fsWatcherEnabled"]!.GetValue<bool>().Should().BeTrue();
        folder["fsWatcherDelayS"]!.GetValue<int>().Should().Be(1, "syncthing's default of 10 s would delay every upload");
        folder["paused"]!.GetValue<bool>().Should().BeFalse();
        folder["rescanIntervalS"]!.GetValue<int>().Should().Be(3600, "everything else comes from syncthing's folder defaults");
        folder["markerName"]!.GetValue<string>().Should().Be(".stfolder");
        FolderDevices("resources").Should().Equal(Self, N2, N3);
        FolderDevices("plugins").Should().Equal(Self, N2, N3);
        Folders().Should().Equal("resources", "plugins");
    }

    [Fact]
    public void Apply_PeerJoins_ExistingFoldersAreResharedWithIt()
    {
        Apply(Peer("n2"));
        var changes = Apply(Peer("n2"), Peer("n3"));

        changes.Should().Equal(
            "added device n3 (IWQNTZB, tcp://10.231.0.13:22000)", "shared resources with n3", "shared plugins with n3");
        FolderDevices("resources").Should().Equal(Self, N2, N3);
        Folder("resources")["devices"]!.AsArray().Select(d => d!["encryptionPassword"]!.GetValue<string>()).Should().AllBe("", "replicated folders are never encrypted");
    }

    [Fact]
    public void Apply_ExistingFolderMissingThisDevice_IsReshared()
    {
        Apply(Peer("n2"));
        Folder("resources")["devices"] = new JsonArray(new JsonObject { ["deviceID"] = N2, ["introducedBy"] = "", ["encryptionPassword"] = "" });

        Apply(Peer("n2")).Should().Equal("shared resources with this node's own device");
        FolderDevices("resources").Should().Equal(Self, N2);
    }

    [Theory]
    [InlineData("type", "\"receiveonly\"", "set resources.type to sendreceive")]
    [InlineData("fsWatcherDelayS", "10", "set resources.fsWatcherDelayS to 1")]
    [InlineData("fsWatcherEnabled", "false", "set resources.fsWatcherEnabled to True")]
    [InlineData("paused", "true", "set resources.paused to False")]
    [InlineData("path", "\"/elsewhere\"", "moved folder resources from /elsewhere to /opt/manager/resources")]
    public void Apply_FolderSettingChangedBehindOurBack_IsSetBack(string property, string json, string expected)
    {
        Apply(Peer("n2"));
        var wanted = Folder("resources")[property]!.ToJsonString();
        Folder("resources")[property] = JsonNode.Parse(json);

        Apply(Peer("n2")).Should().Equal(expected);
        Folder("resources")[property]!.ToJsonString().Should().Be(wanted);
        Apply(Peer("n2")).Should().BeEmpty();
    }

    [Fact]
    public void Apply_FolderNoLongerInTheClusterConfig_IsRemoved()
    {
        Apply(Peer("n2"));
        var changes = Apply([DefaultFolders[0]], Peer("n2"));

        changes.Should().Equal("removed folder plugins (no longer in the cluster config; its files stay on disk)");
        Folders().Should().Equal("resources");
    }

    [Fact]
    public void Apply_FolderAddedByHand_IsRemoved()
    {
        ((JsonArray)_config["folders"]!).Add(new JsonObject { ["id"] = "default", ["path"] = "/root/Sync", ["devices"] = new JsonArray() });
        Apply(Peer("n2")).Should().Contain(c => c.StartsWith("removed folder default ", StringComparison.Ordinal));
        Folders().Should().Equal("resources", "plugins");
    }

    [Fact]
    public void Apply_AgainAfterARoundTripThroughSyncthing_ChangesNothing()
    {
        Apply(Peer("n2"), Peer("n3")).Should().NotBeEmpty();
        var written = _config.ToJsonString();
        _config = (JsonObject)JsonNode.Parse(written)!;

        Apply(Peer("n2"), Peer("n3")).Should().BeEmpty();
        _config.ToJsonString().Should().Be(written);
    }

    [Fact]
    public void Apply_LeavesEverythingElseAsSyncthingWroteIt()
    {
        var pristine = FakeSyncthingApi.InitialConfig();
        Apply(Peer("n2"), Peer("n3"));

        foreach (var section in new[] { "version", "gui", "ldap", "options", "remoteIgnoredDevices", "defaults" })
            JsonNode.DeepEquals(_config[section], pristine[section]).Should().BeTrue($"'{section}' is not HaManager's to change");
        JsonNode.DeepEquals(Device(Self), ((JsonArray)pristine["devices"]!)[0]).Should().BeTrue("this device's own entry is left alone");
        _config.Select(p => p.Key).Should().BeEquivalentTo(pristine.Select(p => p.Key));
    }

    [Fact]
    public void Apply_DevicesThatAreNotAList_IsAnApiError()
    {
        _config["devices"] = new JsonObject();
        var act = () => Apply(Peer("n2"));
        act.Should().Throw<SyncthingApiException>().WithMessage("*'devices'*not a list*");
    }

    private IReadOnlyList<string> Apply(params SyncthingPeer[] peers) => Apply(DefaultFolders, peers);

    private IReadOnlyList<string> Apply(IReadOnlyList<SyncthingFolder> folders, params SyncthingPeer[] peers)
    {
        var defaults = FakeSyncthingApi.InitialConfig()["defaults"]!;
        return SyncthingConfigMerge.Apply(_config, new SyncthingDesiredState(peers, folders), Self,
            (JsonObject)defaults["device"]!.DeepClone(), (JsonObject)defaults["folder"]!.DeepClone());
    }

    private JsonObject Device(string id) => _config["devices"]!.AsArray().OfType<JsonObject>().Single(d => d["deviceID"]!.GetValue<string>() == id);

    private List<string> DeviceIds() => _config["devices"]!.AsArray().Select(d => d!["deviceID"]!.GetValue<string>()).ToList();

    private JsonObject Folder(string id) => _config["folders"]!.AsArray().OfType<JsonObject>().Single(f => f["id"]!.GetValue<string>() == id);

    private List<string> Folders() => _config["folders"]!.AsArray().Select(f => f!["id"]!.GetValue<string>()).ToList();

    private List<string> FolderDevices(string id) => Folder(id)["devices"]!.AsArray().Select(d => d!["deviceID"]!.GetValue<string>()).ToList();

    private static List<string> Strings(JsonNode? array) => array!.AsArray().Select(a => a!.GetValue<string>()).ToList();
}
