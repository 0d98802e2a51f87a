using HaManager.Api.Status;
using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Model;
using HaManager.Tests.Support;
using HaManager.Tests.Syncthing;
using HaManager.Watchers.Syncthing;
using static HaManager.Tests.Syncthing.SyncthingFixtures;

namespace HaManager.Tests.Api.Status;

/// <summary>The syncthing part of `hamanager status`, seen from n1's syncthing.</summary>
public sealed class ClusterStatusReaderSyncthingTests
{
    private readonly InMemoryKvStore _kv = new();
    private readonly FakeSyncthingApi _api = new();

    public ClusterStatusReaderSyncthingTests()
    {
        _api.Connections[N2] = true;
        _api.Connections[N3] = true;
    }

    [Fact]
    public async Task Read_AllConnected_ReportsDevicesAndCompletionWithoutProblems()
    {
        await SeedAsync("n1", "n2", "n3");
        _api.Completion = (folder, device) => (folder, device) switch
        {
            ("plugins", N3) => Partial(42.5),
            _ => Complete,
        };

        var status = await ReadAsync();

        status.Degraded.Should().BeFalse(string.Join("; ", status.Problems));
        status.SyncthingSeenFrom.Should().Be("n1");
        Syncthing(status, "n1").Should().BeEquivalentTo(new { DeviceId = Self, Connected = (bool?)null }, "n1 does not connect to itself");
        Syncthing(status, "n2").Connected.Should().BeTrue();
        Syncthing(status, "n3").DeviceId.Should().Be(N3);
        Syncthing(status, "n3").Connected.Should().BeTrue();
        Syncthing(status, "n3").Folders.Should().Equal(new Dictionary<string, double?> { ["resources"] = 100, ["plugins"] = 42.5 });
        Syncthing(status, "n1").Folders.Should().Equal(new Dictionary<string, double?> { ["resources"] = 100, ["plugins"] = 100 });
        _api.Calls.Should().Contain("completion resources self");
    }

    [Fact]
    public async Task Read_PeerDisconnected_IsDegradedAndNamesIt()
    {
        await SeedAsync("n1", "n2", "n3");
        _api.Connections[N3] = false;

        var status = await ReadAsync();

        status.Degraded.Should().BeTrue();
        Syncthing(status, "n3").Connected.Should().BeFalse();
        Syncthing(status, "n2").Connected.Should().BeTrue();
        status.Problems.Should().ContainSingle(p => p.Contains("syncthing on n1 is not connected to n3"));
        status.Problems.Should().NotContain(p => p.Contains("not connected to n2"));
    }

    [Fact]
    public async Task Read_PeerNotYetConfiguredLocally_IsNotConnectedAndHasNoCompletion()
    {
        await SeedAsync("n1", "n2", "n3");
        _api.Connections.Remove(N3);

        var status = await ReadAsync();

        Syncthing(status, "n3").Connected.Should().BeFalse();
        Syncthing(status, "n3").Folders.Values.Should().AllSatisfy(v => v.Should().BeNull());
        _api.Calls.Should().NotContain(c => c.Contains(N3));
        status.Problems.Should().Contain(p => p.Contains("not connected to n3"));
    }

    [Fact]
    public async Task Read_FolderUnknownToSyncthing_HasNullCompletion()
    {
        await SeedAsync("n1", "n2", "n3");
        _api.Completion = (folder, _) => folder == "plugins" ? throw new SyncthingApiException("GET rest/db/completion failed: 404 folder \"plugins\" does not exist") : Complete;

        var status = await ReadAsync();

        Syncthing(status, "n2").Folders.Should().Equal(new Dictionary<string, double?> { ["resources"] = 100, ["plugins"] = null });
        status.Degraded.Should().BeFalse(string.Join("; ", status.Problems));
    }

    [Fact]
    public async Task Read_NodeWithoutDeviceWhileOthersHaveOne_IsAProblemNamingIt()
    {
        await SeedAsync("n1", "n2");

        var status = await ReadAsync();

        status.Degraded.Should().BeTrue();
        Syncthing(status, "n3").DeviceId.Should().BeNull();
        Syncthing(status, "n3").Connected.Should().BeNull();
        status.Problems.Should().ContainSingle(p => p.Contains("syncthing"))
            .Which.Should().Be("node n3 has no syncthing device registered at 'hamanager/syncthing/devices/n3': its folders are not replicated");
    }

    [Fact]
    public async Task Read_SyncthingNotBootstrappedAnywhere_IsNoProblem()
    {
        await SeedAsync();

        var status = await ReadAsync();

        status.Degraded.Should().BeFalse(string.Join("; ", status.Problems));
        status.SyncthingSeenFrom.Should().BeNull();
        status.Nodes.Should().OnlyContain(n => n.Syncthing.DeviceId == null && n.Syncthing.Connected == null);
        _api.Calls.Should().BeEmpty("there is nothing to ask syncthing about");
    }

    [Fact]
    public async Task Read_LocalSyncthingUnreachable_IsAProblemAndConnectionsUnknown()
    {
        await SeedAsync("n1", "n2", "n3");
        _api.Unreachable = true;

        var status = await ReadAsync();

        status.Degraded.Should().BeTrue();
        status.SyncthingSeenFrom.Should().BeNull();
        status.Problems.Should().Contain(p => p.StartsWith("syncthing on n1 could not be asked:", StringComparison.Ordinal) && p.Contains("is syncthing running?"));
        status.Nodes.Should().OnlyContain(n => n.Syncthing.Connected == null && n.Syncthing.DeviceId != null);
    }

    [Fact]
    public async Task Read_WithoutTheSyncthingApi_ReportsRegistrationsOnly()
    {
        await SeedAsync("n1", "n2", "n3");

        var status = await new ClusterStatusReader(_kv, new KvKeys()).ReadAsync(CancellationToken.None);

        status.Degraded.Should().BeFalse(string.Join("; ", status.Problems));
        status.Nodes.Select(n => n.Syncthing.DeviceId).Should().Equal(Self, N2, N3);
        status.Nodes.Should().OnlyContain(n => n.Syncthing.Connected == null && n.Syncthing.Folders.Values.All(v => v == null));
    }

    [Fact]
    public async Task Read_DeviceRecordWithoutARegisteredNode_IsAProblemNamingTheKey()
    {
        await SeedAsync("n1", "n2", "n3");
        await new ClusterSeed(_kv).SyncthingDeviceAsync("n4", N4, AddressOf("n4"));

        var status = await ReadAsync();

        status.Degraded.Should().BeTrue();
        status.Problems.Should().ContainSingle(p => p.Contains("hamanager/syncthing/devices/n4"))
            .Which.Should().Be("'hamanager/syncthing/devices/n4' is not used: no node 'n4' is registered ('hamanager/nodes/n4' is missing or invalid), so no node's syncthing uses this device");
        status.Nodes.Select(n => n.Name).Should().Equal("n1", "n2", "n3");
    }

    [Fact]
    public async Task Read_FolderThisNodeRefuses_IsAProblemNamingTheConfigKey()
    {
        using var root = new TempDirectory();
        await SeedAsync("n1", "n2", "n3");
        await new ClusterSeed(_kv).ConfigAsync(folders: [ReplicatedFolder.Defaults[0], new() { Id = "other", Path = "/opt/elsewhere" }]);
        var guard = new ReplicatedFolderGuard(root.Path, HaManager.Cluster.Settings.SyncthingOptions.DefaultAllowedRoots);

        var status = await new ClusterStatusReader(_kv, new KvKeys(), syncthing: (NodeName.Parse("n1"), _api), folderGuard: guard).ReadAsync(CancellationToken.None);

        status.Degraded.Should().BeTrue();
        status.Problems.Should().ContainSingle(p => p.Contains("refused")).Which.Should()
            .StartWith("'hamanager/config': replicated folder 'other' (path '/opt/elsewhere') is refused on n1: it is not at or below one of syncthing.allowed_roots");
    }

    [Fact]
    public async Task Read_WithoutAFolderGuard_JudgesNoFolder()
    {
        await SeedAsync("n1", "n2", "n3");
        await new ClusterSeed(_kv).ConfigAsync(folders: [new() { Id = "other", Path = "/opt/elsewhere" }]);

        var status = await new ClusterStatusReader(_kv, new KvKeys()).ReadAsync(CancellationToken.None);

        status.Problems.Should().NotContain(p => p.Contains("refused"), "a workstation does not know what the nodes allow");
    }

    /// <summary>Three healthy nodes (n1 holds the VIP) and syncthing devices for the named ones.</summary>
    private async Task SeedAsync(params string[] withDevices)
    {
        var seed = await new ClusterSeed(_kv).ConfigAsync();
        await seed.NodeAsync("n1", "10.231.0.11", 150, KeepalivedState.Master);
        await seed.NodeAsync("n2", "10.231.0.12", 140, KeepalivedState.Backup);
        await seed.NodeAsync("n3", "10.231.0.13", 130, KeepalivedState.Backup);
        foreach (var node in withDevices) await seed.SyncthingDeviceAsync(node, IdOf(node), AddressOf(node));
    }

    private Task<ClusterStatus> ReadAsync() =>
        new ClusterStatusReader(_kv, new KvKeys(), syncthing: (NodeName.Parse("n1"), _api)).ReadAsync(CancellationToken.None);

    private static SyncthingStatus Syncthing(ClusterStatus status, string node) => status.Nodes.Single(n => n.Name == node).Syncthing;
}
