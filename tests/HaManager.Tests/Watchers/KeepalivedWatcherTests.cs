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

    private async Task<WatchOutput> RenderAsync(string node, string address)
    {
        var watcher = KeepalivedWatcherFactory.Create(node, address, "/tmp/keepalived.conf");
        var snapshot = await KvSnapshot.ReadAsync(_kv, new KvKeys(), watcher.Prefixes, CancellationToken.None);
        return watcher.Render(snapshot);
    }
}
