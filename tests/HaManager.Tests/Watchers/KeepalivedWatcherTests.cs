using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Model;
using HaManager.Tests.Support;
using HaManager.Watchers.Engine;

namespace HaManager.Tests.Watchers;

public sealed class KeepalivedWatcherTests
{
    private readonly InMemoryKvStore _kv = new();
    private readonly ClusterSeed _seed;

    public KeepalivedWatcherTests() => _seed = new ClusterSeed(_kv);

    [Fact]
    public async Task Render_ThreeNodes_ListsTheOtherTwoAsUnicastPeers()
    {
        await (await (await (await _seed.ConfigAsync()).NodeAsync("n1", "10.231.0.11", 150)).NodeAsync("n2", "10.231.0.12", 140)).NodeAsync("n3", "10.231.0.13", 130);
        var output = await RenderAsync("n2", "10.231.0.12");

        output.IsRenderable.Should().BeTrue();
        var text = output.Files.Single().Content;
        text.Should().Contain("unicast_src_ip 10.231.0.12").And.Contain("10.231.0.11").And.Contain("10.231.0.13");
        text.Should().Contain("priority 140").And.Contain("state BACKUP");
        output.Files.Single().ValidateCommand.Should().Equal("/bin/true", "-t", "-e", "-f", RenderedFile.FilePlaceholder);
    }

    [Fact]
    public async Task Render_HighestPriority_StartsAsMaster()
    {
        await (await (await _seed.ConfigAsync()).NodeAsync("n1", "10.231.0.11", 150)).NodeAsync("n2", "10.231.0.12", 140);
        (await RenderAsync("n1", "10.231.0.11")).Files.Single().Content.Should().Contain("state MASTER");
    }

    [Fact]
    public async Task Render_MalformedPeerValue_RendersEverythingElseAndTheKeyIsNamed()
    {
        await (await (await _seed.ConfigAsync()).NodeAsync("n1", "10.231.0.11", 150)).NodeAsync("n2", "10.231.0.12", 140);
        await _seed.RawAsync("hamanager/keepalived/nodes/n3", "{\"priority\": ");

        var output = await RenderAsync("n1", "10.231.0.11");

        output.IsRenderable.Should().BeTrue("one bad record affects only its own key");
        output.Files.Single().Content.Should().Contain("10.231.0.12");
        (await InvalidKeysAsync()).Should().ContainSingle().Which.Key.Should().Be("hamanager/keepalived/nodes/n3");
    }

    [Fact]
    public async Task Render_NodeKeyWithInjectedName_IsRejected()
    {
        await (await _seed.ConfigAsync()).NodeAsync("n1", "10.231.0.11", 150);
        await _seed.RawAsync("hamanager/nodes/n4}", """{"name":"n4","address":"10.231.0.14","joined_at":"2026-01-01T00:00:00Z","version":"1"}""");

        var output = await RenderAsync("n1", "10.231.0.11");

        output.IsRenderable.Should().BeTrue();
        output.Files.Single().Content.Should().NotContain("10.231.0.14");
        (await InvalidKeysAsync()).Should().ContainSingle().Which.Key.Should().Be("hamanager/nodes/n4}");
    }

    [Fact]
    public async Task Render_RecordNamingAnotherNode_IsRejected()
    {
        await (await _seed.ConfigAsync()).NodeAsync("n1", "10.231.0.11", 150);
        await _seed.RawAsync("hamanager/nodes/n2", """{"name":"n7","address":"10.231.0.14","joined_at":"2026-01-01T00:00:00Z","version":"1"}""");

        (await RenderAsync("n1", "10.231.0.11")).Files.Single().Content.Should().NotContain("10.231.0.14");
        (await InvalidKeysAsync()).Should().ContainSingle().Which.Reason.Should().Contain("n7");
    }

    [Fact]
    public async Task Render_NoPriorityForThisNodeYet_IsNotReady()
    {
        await (await _seed.ConfigAsync()).NodeAsync("n1", "10.231.0.11", 150);
        var output = await RenderAsync("n2", "10.231.0.12");
        output.NotReadyReason.Should().Contain("hamanager/keepalived/nodes/n2");
    }

    [Fact]
    public async Task Render_NoClusterConfig_IsNotReady()
    {
        await _seed.NodeAsync("n1", "10.231.0.11", 150);
        (await RenderAsync("n1", "10.231.0.11")).NotReadyReason.Should().Contain("hamanager/config");
    }

    private async Task<IReadOnlyList<HaManager.Cluster.Json.KvValueError>> InvalidKeysAsync()
    {
        var catalog = new HaManager.Cluster.Json.KvRecordCatalog(new KvKeys());
        var entries = (await _kv.ListAsync("hamanager/")).Value;
        return entries.Select(catalog.Validate).OfType<HaManager.Cluster.Json.KvValueError>().ToList();
    }

    [Theory]
    [InlineData("10.231.0.100/24")]
    [InlineData("10.231.0.100/32")]
    [InlineData("10.231.0.254/24")]
    public async Task Render_VirtualIpInsideThisNodesSubnet_IsRendered(string vip)
    {
        await (await (await _seed.ConfigAsync(vip)).NodeAsync("n1", "10.231.0.11", 150)).NodeAsync("n2", "10.231.0.12", 140);

        var output = await RenderAsync("n1", "10.231.0.11", subnet: "10.231.0.11/24");

        output.IsRenderable.Should().BeTrue(string.Join("; ", output.Errors));
        output.Files.Single().Content.Should().Contain($"{vip} dev eth0");
    }

    [Theory]
    [InlineData("192.0.2.100/24", "is not inside this node's subnet 10.231.0.0/24 (10.231.0.11 on eth0)")]
    [InlineData("10.231.1.100/24", "is not inside this node's subnet 10.231.0.0/24")]
    [InlineData("10.231.0.100/8", "has a shorter prefix than this node's subnet 10.231.0.0/24")]
    [InlineData("10.231.0.12/24", "is the address of a registered node")]
    [InlineData("10.231.0.11/24", "is the address of a registered node")]
    [InlineData("10.231.0.0/24", "is the network address of this node's subnet")]
    [InlineData("10.231.0.255/24", "is the broadcast address of this node's subnet")]
    public async Task Render_VirtualIpKvMayNotAskFor_IsRefusedNamingTheConfigKey_AndNoFileIsRendered(string vip, string reason)
    {
        await (await (await _seed.ConfigAsync(vip)).NodeAsync("n1", "10.231.0.11", 150)).NodeAsync("n2", "10.231.0.12", 140);

        var output = await RenderAsync("n1", "10.231.0.11", subnet: "10.231.0.11/24");

        output.Files.Should().BeEmpty("keepalived keeps its current configuration");
        output.Errors.Should().ContainSingle().Which.Should().Match<HaManager.Cluster.Json.KvValueError>(e =>
            e.Key == "hamanager/config" && e.Reason.Contains($"virtual_ip {vip} {reason}"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("10.231.0.11/32")]
    public async Task Render_SubnetUnknownOrAHostAddress_DoesNotJudgeTheVirtualIp(string? subnet)
    {
        await (await _seed.ConfigAsync("192.0.2.100/24")).NodeAsync("n1", "10.231.0.11", 150);
        (await RenderAsync("n1", "10.231.0.11", subnet)).IsRenderable.Should().BeTrue();
    }

    private async Task<WatchOutput> RenderAsync(string node, string address, string? subnet = null)
    {
        var watcher = KeepalivedWatcherFactory.Create(node, address, "/tmp/keepalived.conf", subnet: subnet);
        var snapshot = await KvSnapshot.ReadAsync(_kv, new KvKeys(), watcher.Prefixes, CancellationToken.None);
        return watcher.Render(snapshot);
    }
}
