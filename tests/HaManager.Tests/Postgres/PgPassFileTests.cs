using System.Net;
using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Model;
using HaManager.Templates;
using HaManager.Tests.Support;
using HaManager.Watchers.Engine;
using HaManager.Watchers.Postgres;

namespace HaManager.Tests.Postgres;

/// <summary>The repmgr passfile names the cluster's hosts, never '*', and follows the registered nodes.</summary>
public sealed class PgPassFileTests : IDisposable
{
    private readonly InMemoryKvStore _kv = new();
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Content_OneLinePerHostAndLogin_NoWildcardHost()
    {
        var text = PgPassFile.Content(PgPassFile.Hosts("/run/pg", [IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.2")]),
            [("repmgr", "rrrrrrrrrrrrrrrrrrrrrrrr"), ("manager", "aaaaaaaaaaaaaaaaaaaaaaaa")]);

        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().StartWith("#").And.NotContain(":");
        lines.Skip(1).Should().Equal(
            "/run/pg:*:*:repmgr:rrrrrrrrrrrrrrrrrrrrrrrr",
            "localhost:*:*:repmgr:rrrrrrrrrrrrrrrrrrrrrrrr",
            "127.0.0.1:*:*:repmgr:rrrrrrrrrrrrrrrrrrrrrrrr",
            "\\:\\:1:*:*:repmgr:rrrrrrrrrrrrrrrrrrrrrrrr",
            "10.0.0.1:*:*:repmgr:rrrrrrrrrrrrrrrrrrrrrrrr",
            "10.0.0.2:*:*:repmgr:rrrrrrrrrrrrrrrrrrrrrrrr",
            "/run/pg:*:*:manager:aaaaaaaaaaaaaaaaaaaaaaaa",
            "localhost:*:*:manager:aaaaaaaaaaaaaaaaaaaaaaaa",
            "127.0.0.1:*:*:manager:aaaaaaaaaaaaaaaaaaaaaaaa",
            "\\:\\:1:*:*:manager:aaaaaaaaaaaaaaaaaaaaaaaa",
            "10.0.0.1:*:*:manager:aaaaaaaaaaaaaaaaaaaaaaaa",
            "10.0.0.2:*:*:manager:aaaaaaaaaaaaaaaaaaaaaaaa");
        lines.Should().NotContain(l => l.StartsWith("*", StringComparison.Ordinal));
    }

    [Fact]
    public void Content_Ipv6AndOddSocketPath_AreEscapedAsLibpqReadsThem()
    {
        var text = PgPassFile.Content(PgPassFile.Hosts(@"/run/a:b\c", [IPAddress.Parse("fd00::11"), IPAddress.Parse("fd00::11")]), [("repmgr", "pppppppppppppppppppppppp")]);

        text.Should().Contain(@"/run/a\:b\\c:*:*:repmgr:").And.Contain(@"fd00\:\:11:*:*:repmgr:");
        text.Split('\n').Count(l => l.StartsWith(@"fd00\:\:11", StringComparison.Ordinal)).Should().Be(1, "each host once");
    }

    [Fact]
    public async Task RepmgrWatcher_RendersThePassfileForEveryRegisteredNode_0600OwnedByTheDatabaseUser()
    {
        var settings = await SeedAsync("n1", "n2");

        var output = await RenderAsync(settings);

        output.IsRenderable.Should().BeTrue(output.NotReadyReason);
        var pass = output.Files.Single(f => f.Path == settings.Postgres.PassFile);
        pass.Mode.Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        pass.Owner.Should().Be(settings.Postgres.OsUser);
        pass.Content.Should().Contain($"10.231.0.11:*:*:repmgr:{new string('r', 32)}\n")
            .And.Contain($"10.231.0.12:*:*:repmgr:{new string('r', 32)}\n")
            .And.Contain($"10.231.0.12:*:*:manager:{new string('a', 32)}\n")
            .And.Contain($"{settings.Postgres.SocketDir}:*:*:repmgr:")
            .And.NotContain("*:*:*:");
    }

    [Fact]
    public async Task RepmgrWatcher_NodeJoinsAndIsRemoved_ThePassfileFollows()
    {
        var settings = await SeedAsync("n1", "n2");
        await new ClusterSeed(_kv).NodeAsync("n3", "10.231.0.13", 120);

        (await RenderAsync(settings)).Files.Single(f => f.Path == settings.Postgres.PassFile).Content.Should().Contain("10.231.0.13:*:*:repmgr:");

        await _kv.DeleteAsync(new KvKeys().Node(NodeName.Parse("n3")));
        await _kv.DeleteAsync(new KvKeys().KeepalivedNode(NodeName.Parse("n3")));
        (await RenderAsync(settings)).Files.Single(f => f.Path == settings.Postgres.PassFile).Content.Should().NotContain("10.231.0.13");
    }

    [Fact]
    public async Task RepmgrWatcher_NoSecretsYet_IsNotReadyAndLeavesTheFileAlone()
    {
        var settings = await SeedAsync("n1");
        await _kv.DeleteAsync(new KvKeys().PostgresSecrets);

        var output = await RenderAsync(settings);

        output.IsRenderable.Should().BeFalse();
        output.NotReadyReason.Should().Contain("secrets/postgres");
    }

    private async Task<HaManager.Cluster.Settings.HaManagerSettings> SeedAsync(params string[] names)
    {
        var seed = await new ClusterSeed(_kv).ConfigAsync();
        var nodes = names.Select((name, i) => (name, i + 1, i == 0 ? PostgresRole.Primary : PostgresRole.Standby)).ToArray();
        foreach (var (name, id, _) in nodes) await seed.NodeAsync(name, $"10.231.0.{10 + id}", 150 - 10 * id);
        await seed.PostgresAsync(names[0], null, nodes);
        var settings = PostgresWatcherFactory.Settings(_dir.Path);
        settings.Postgres.PassFile = Path.Combine(_dir.Path, "pgpass");
        return settings;
    }

    private async Task<WatchOutput> RenderAsync(HaManager.Cluster.Settings.HaManagerSettings settings)
    {
        var local = PostgresWatcherFactory.Local(settings);
        var watcher = new RepmgrWatcher(new KvKeys(), local, RepmgrWatcherOptions.FromSettings(settings, local), new TemplateRenderer());
        return watcher.Render(await KvSnapshot.ReadAsync(_kv, new KvKeys(), watcher.Prefixes, CancellationToken.None));
    }
}
