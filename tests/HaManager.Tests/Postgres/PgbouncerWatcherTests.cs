using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Model;
using HaManager.Templates;
using HaManager.Tests.Support;
using HaManager.Watchers.Engine;
using HaManager.Watchers.Pgbouncer;

namespace HaManager.Tests.Postgres;

public sealed class PgbouncerWatcherTests : IDisposable
{
    private readonly InMemoryKvStore _kv = new();
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Render_RegisteredMaster_PointsTheDatabaseAtItsHost()
    {
        await SeedAsync("n2");
        var output = await RenderAsync();
        output.IsRenderable.Should().BeTrue();
        var ini = output.Files.Single(f => f.Path.EndsWith("pgbouncer.ini", StringComparison.Ordinal));
        ini.Content.Should().Contain("manager = host=10.231.0.12 port=5432 dbname=manager").And.Contain("server_fast_close = 1");
        output.Files.Single(f => f.Path.EndsWith("userlist.txt", StringComparison.Ordinal)).Mode
            .Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite, "the auth file holds a password");
        output.Summary.Should().Contain("master n2");
    }

    [Fact]
    public async Task Render_MasterNamingAnUnregisteredNode_IsRejectedWithTheKey()
    {
        await SeedAsync("n1");
        await new ClusterSeed(_kv).RawAsync("hamanager/postgres/master", """{"node":"n9","host":"10.231.0.19","port":5432,"node_id":9,"since":"2026-01-01T00:00:00Z"}""");
        var output = await RenderAsync();
        output.Errors.Should().ContainSingle().Which.Should().Match<HaManager.Cluster.Json.KvValueError>(e => e.Key == "hamanager/postgres/master" && e.Reason.Contains("not registered"));
    }

    [Fact]
    public async Task Render_MasterWithAHostOtherThanItsNodesRegisteredAddress_IsRejectedNamingBoth()
    {
        await SeedAsync("n1");
        await new ClusterSeed(_kv).RawAsync("hamanager/postgres/master", """{"node":"n1","host":"192.0.2.66","port":5432,"node_id":1,"since":"2026-01-01T00:00:00Z"}""");
        var output = await RenderAsync();
        output.Errors.Should().ContainSingle().Which.Should().Match<HaManager.Cluster.Json.KvValueError>(e =>
            e.Key == "hamanager/postgres/master" && e.Reason.Contains("192.0.2.66") && e.Reason.Contains("registered at 10.231.0.11"));
        output.Files.Should().BeEmpty("pgbouncer keeps its current target");
    }

    [Fact]
    public async Task Render_MasterWithAPortOtherThanTheSettingsPostgresPort_IsRejected()
    {
        await SeedAsync("n1");
        await new ClusterSeed(_kv).RawAsync("hamanager/postgres/master", """{"node":"n1","host":"10.231.0.11","port":2222,"node_id":1,"since":"2026-01-01T00:00:00Z"}""");

        var output = await RenderAsync(postgresPort: 5432);

        output.Errors.Should().ContainSingle().Which.Should().Match<HaManager.Cluster.Json.KvValueError>(e =>
            e.Key == "hamanager/postgres/master" && e.Reason.Contains("names port 2222, but PostgreSQL listens on port 5432 on every node"));
        output.Files.Should().BeEmpty("pgbouncer keeps its current target");
    }

    [Fact]
    public async Task Render_MasterOnTheSettingsPostgresPort_IsRendered()
    {
        await SeedAsync("n2");
        (await RenderAsync(postgresPort: 5432)).IsRenderable.Should().BeTrue();
    }

    [Fact]
    public async Task Render_MalformedMaster_NeverReachesTheWatcher()
    {
        await SeedAsync("n1");
        await new ClusterSeed(_kv).RawAsync("hamanager/postgres/master", "{\"node\":");
        // A one-shot snapshot leaves the invalid value out; the daemon's engine would use its last valid value (LastKnownGoodStoreTests).
        (await RenderAsync()).NotReadyReason.Should().Contain("hamanager/postgres/master");
    }

    [Fact]
    public async Task Render_NoMasterYet_IsNotReady()
    {
        await (await new ClusterSeed(_kv).ConfigAsync()).NodeAsync("n1", "10.231.0.11", 150);
        (await RenderAsync()).NotReadyReason.Should().Contain("hamanager/postgres/master");
    }

    private async Task SeedAsync(string master)
    {
        var seed = await new ClusterSeed(_kv).ConfigAsync();
        await (await seed.NodeAsync("n1", "10.231.0.11", 150)).NodeAsync("n2", "10.231.0.12", 140);
        await seed.PostgresAsync(master, null, ("n1", 1, PostgresRole.Standby), ("n2", 2, PostgresRole.Primary));
    }

    private async Task<WatchOutput> RenderAsync(int? postgresPort = null)
    {
        var settings = PostgresWatcherFactory.Settings(_dir.Path);
        var watcher = new PgbouncerWatcher(new KvKeys(), settings.Pgbouncer, PgbouncerLocal.Service(settings), settings.Postgres.OsUser, new TemplateRenderer(), postgresPort);
        return watcher.Render(await KvSnapshot.ReadAsync(_kv, new KvKeys(), watcher.Prefixes, CancellationToken.None));
    }
}
