using System.Text.Json;
using HaManager.Cli;
using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Tests.Support;
using HaManager.Watchers.Engine;
using HaManager.Watchers.Postgres;

namespace HaManager.Tests.Cli.Nodes;

/// <summary>`hamanager node reinit`: the request it writes, the refusals, and waiting for the target's watcher (played by the real reconciler).</summary>
public sealed class NodeReinitCommandTests : IDisposable
{
    private static readonly NodeName N3 = NodeName.Parse("n3");

    private readonly TempDirectory _dir = new();
    private readonly InMemoryKvStore _kv = new();
    private readonly KvKeys _keys = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Reinit_AStandby_WaitsForItsWatcher_AndReportsTheOutcome()
    {
        await SeedAsync();
        using var watcher = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var reclones = 0;
        var target = RunWatcherAsync(N3, () => reclones++, watcher.Token);

        var run = await RunAsync("node", "reinit", "n3", "--timeout", "30");

        run.ExitCode.Should().Be(ExitCodes.Ok, run.ToString());
        run.Out.Should().StartWith("Requested a re-clone of n3 from the current primary (request ")
            .And.Contain("Done (n3's watcher): cloned it afresh from n1");
        reclones.Should().Be(1);
        await watcher.CancelAsync();
        await target;
    }

    [Fact]
    public async Task Reinit_ThePrimary_IsRefusedAndWritesNothing()
    {
        await SeedAsync();
        var index = _kv.LastIndex;

        var run = await RunAsync("node", "reinit", "n1", "--json");

        run.ExitCode.Should().Be(ExitCodes.Refused, run.ToString());
        run.Error.Should().Contain("n1 is the current PostgreSQL primary: a primary is never re-cloned");
        _kv.LastIndex.Should().Be(index);
    }

    [Fact]
    public async Task Reinit_AnUnknownNode_IsRefused()
    {
        await SeedAsync();

        var run = await RunAsync("node", "reinit", "n9");

        run.ExitCode.Should().Be(ExitCodes.Refused, run.ToString());
        run.Error.Should().Contain("n9 is not a registered node");
    }

    [Fact]
    public async Task Reinit_NobodyActs_TimesOut_AndTheRequestStaysPending_ThenASecondRunJoinsIt()
    {
        await SeedAsync();

        var first = await RunAsync("node", "reinit", "n3", "--timeout", "1", "--json");

        first.ExitCode.Should().Be(ExitCodes.Failed, first.ToString());
        first.Error.Should().Contain("is its watcher (hamanager-watch) running?");
        var json = JsonDocument.Parse(first.Out).RootElement;
        json.GetProperty("state").GetString().Should().Be("pending");
        var id = json.GetProperty("request_id").GetString();

        var second = await RunAsync("node", "reinit", "n3", "--timeout", "1");
        second.Out.Should().Contain($"is still pending (request {id}); waiting for it");
        KvJson.Parse<ReinitRequestRecord>((await _kv.GetAsync(_keys.PostgresReinit(N3))).Value!).Id.Should().Be(id);
    }

    /// <summary>The target node's watcher: its reconciler, run whenever the request key changes.</summary>
    private async Task RunWatcherAsync(NodeName node, Action recloned, CancellationToken cancellationToken)
    {
        var reconciler = new PostgresReinitReconciler(_kv, _keys, node, "/pass", (upstream, _) =>
        {
            recloned();
            return Task.FromResult($"cloned it afresh from {upstream.UpstreamNode} (the old data directory is kept at /data.old)");
        }, new TestLogger().Logger);
        ulong index = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                index = (await _kv.GetAsync(_keys.PostgresReinit(node), new QueryOptions { WaitIndex = index, WaitTime = TimeSpan.FromSeconds(1) }, cancellationToken)).Index;
                await reconciler.ReconcileAsync(await KvSnapshot.ReadAsync(_kv, _keys, reconciler.Prefixes, cancellationToken), cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task SeedAsync()
    {
        var seed = new ClusterSeed(_kv, _keys);
        await seed.NodeAsync("n1", "10.231.0.11", 150);
        await seed.NodeAsync("n2", "10.231.0.12", 140);
        await seed.NodeAsync("n3", "10.231.0.13", 130);
        await seed.PostgresAsync("n1", null, ("n1", 1, PostgresRole.Primary), ("n2", 2, PostgresRole.Standby), ("n3", 3, PostgresRole.Standby));
    }

    private Task<CliRun> RunAsync(params string[] args) => CliRun.RunAsync(CliRun.AgainstKv(_dir.File("absent.yaml"), _kv), args);
}
