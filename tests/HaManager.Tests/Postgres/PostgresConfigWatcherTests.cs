using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Model;
using HaManager.Templates;
using HaManager.Tests.Support;
using HaManager.Watchers.Engine;
using HaManager.Watchers.Postgres;

namespace HaManager.Tests.Postgres;

public sealed class PostgresConfigWatcherTests : IDisposable
{
    private readonly InMemoryKvStore _kv = new();
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Render_QuorumWithTwoStandbys_NamesBothAndEveryNodeInPgHba()
    {
        var settings = await SeedAsync(("n1", 1, PostgresRole.Primary), ("n2", 2, PostgresRole.Standby), ("n3", 3, PostgresRole.Standby));
        var output = await RenderAsync(settings, quorum: true);

        output.IsRenderable.Should().BeTrue(output.NotReadyReason);
        var hba = output.Files.Single(f => f.Path.EndsWith("pg_hba.conf", StringComparison.Ordinal)).Content;
        hba.Should().Contain("host    replication     repmgr          10.231.0.12/32").And.Contain("10.231.0.13/32").And.Contain("scram-sha-256");
        var replication = output.Files.Single(f => f.Path.EndsWith(PostgresLocal.ReplicationConfFile, StringComparison.Ordinal)).Content;
        replication.Should().Contain("synchronous_standby_names = 'ANY 1 (\"n2\", \"n3\")'");
    }

    [Fact]
    public async Task Render_NodeStillCloning_IsNotASynchronousCandidate()
    {
        var settings = await SeedAsync(("n1", 1, PostgresRole.Primary), ("n2", 2, PostgresRole.Unknown));
        var output = await RenderAsync(settings, quorum: true);
        output.Files.Single(f => f.Path.EndsWith(PostgresLocal.ReplicationConfFile, StringComparison.Ordinal)).Content
            .Should().Contain("synchronous_standby_names = ''");
    }

    [Fact]
    public async Task Render_AsynchronousMode_WaitsForNobody()
    {
        var settings = await SeedAsync(("n1", 1, PostgresRole.Primary), ("n2", 2, PostgresRole.Standby));
        var output = await RenderAsync(settings, quorum: false);
        output.Files.Single(f => f.Path.EndsWith(PostgresLocal.ReplicationConfFile, StringComparison.Ordinal)).Content
            .Should().Contain("synchronous_standby_names = ''").And.Contain("Asynchronous");
    }

    [Fact]
    public async Task Render_NoDataDirectoryYet_IsNotReady()
    {
        var settings = await SeedAsync(("n1", 1, PostgresRole.Primary));
        Directory.Delete(settings.Postgres.DataDir, recursive: true);
        (await RenderAsync(settings, quorum: true)).NotReadyReason.Should().Contain("no data directory");
    }

    private async Task<HaManager.Cluster.Settings.HaManagerSettings> SeedAsync(params (string Name, int Id, PostgresRole Role)[] nodes)
    {
        var seed = await new ClusterSeed(_kv).ConfigAsync();
        foreach (var (name, id, _) in nodes) await seed.NodeAsync(name, $"10.231.0.{10 + id}", 150 - 10 * id);
        await seed.PostgresAsync("n1", null, nodes);
        var settings = PostgresWatcherFactory.Settings(_dir.Path);
        PostgresWatcherFactory.FakeDataDirectory(settings, standby: false);
        return settings;
    }

    private async Task<WatchOutput> RenderAsync(HaManager.Cluster.Settings.HaManagerSettings settings, bool quorum)
    {
        var watcher = new PostgresConfigWatcher(new KvKeys(), PostgresWatcherFactory.Local(settings), quorum, new TemplateRenderer());
        return watcher.Render(await KvSnapshot.ReadAsync(_kv, new KvKeys(), watcher.Prefixes, CancellationToken.None));
    }
}
