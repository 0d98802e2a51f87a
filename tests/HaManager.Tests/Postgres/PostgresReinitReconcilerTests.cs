using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Tests.Support;
using HaManager.Watchers.Engine;
using HaManager.Watchers.Postgres;

namespace HaManager.Tests.Postgres;

/// <summary>How a node's watcher handles a `node reinit` request addressed to it; the re-clone itself (PostgresRejoin.RecloneAsync) is proven in the lab.</summary>
public sealed class PostgresReinitReconcilerTests
{
    private static readonly NodeName N3 = NodeName.Parse("n3");

    private readonly InMemoryKvStore _kv = new();
    private readonly KvKeys _keys = new();
    private readonly TestLogger _log = new();
    private readonly List<StandbyUpstream> _reclones = [];

    private Func<StandbyUpstream, Task<string>> Reclone { get; set; } = _ => Task.FromResult("cloned it afresh from n1 (the old data directory is kept at /x.old)");

    [Fact]
    public async Task Reconcile_RequestForThisStandby_ReclonesFromThePrimary_AndWritesDone()
    {
        await SeedAsync(master: "n1");
        await RequestAsync(N3);

        var sentence = await ReconcileAsync(N3);

        sentence.Should().Contain("re-clone requested by alice@ws").And.Contain("cloned it afresh from n1");
        _reclones.Should().ContainSingle().Which.Should().Match<StandbyUpstream>(u =>
            u.UpstreamNode == NodeName.Parse("n1") && u.Host.ToString() == "10.231.0.11" && u.Self == N3 && u.SelfNodeId == 3);
        var record = await RecordAsync(N3);
        record.State.Should().Be(ReinitState.Done);
        record.Outcome.Should().Contain("old data directory is kept");
        record.FinishedAt.Should().NotBeNull();
        (await ReconcileAsync(N3)).Should().BeNull("a finished request is not carried out again");
        _reclones.Should().HaveCount(1);
    }

    [Fact]
    public async Task Reconcile_RequestForAnotherNode_IsLeftAlone()
    {
        await SeedAsync(master: "n1");
        await RequestAsync(N3);

        (await ReconcileAsync(NodeName.Parse("n2"))).Should().BeNull();
        _reclones.Should().BeEmpty();
        (await RecordAsync(N3)).State.Should().Be(ReinitState.Requested);
    }

    [Fact]
    public async Task Reconcile_ThisNodeIsThePrimary_RefusesAndWritesFailed()
    {
        await SeedAsync(master: "n3");
        await RequestAsync(N3);

        (await ReconcileAsync(N3)).Should().Contain("refused").And.Contain("n3 is the registered primary");
        _reclones.Should().BeEmpty();
        var record = await RecordAsync(N3);
        record.State.Should().Be(ReinitState.Failed);
        record.Outcome.Should().StartWith("refused: n3 is the registered primary");
    }

    [Fact]
    public async Task Reconcile_RecloneFails_WritesFailedWithTheReason()
    {
        await SeedAsync(master: "n1");
        await RequestAsync(N3);
        Reclone = _ => throw new InvalidOperationException("repmgr standby clone from n1 failed (exit 1): no pg_hba entry");

        (await ReconcileAsync(N3)).Should().Contain("failed");
        var record = await RecordAsync(N3);
        record.State.Should().Be(ReinitState.Failed);
        record.Outcome.Should().Contain("no pg_hba entry");
    }

    [Fact]
    public async Task Reconcile_RequestFoundRunning_WasInterrupted_AndIsCarriedOutAgain()
    {
        await SeedAsync(master: "n1");
        await RequestAsync(N3, ReinitState.Running);

        (await ReconcileAsync(N3)).Should().NotBeNull();
        _reclones.Should().HaveCount(1);
        (await RecordAsync(N3)).State.Should().Be(ReinitState.Done);
    }

    private async Task SeedAsync(string master)
    {
        var seed = new ClusterSeed(_kv, _keys);
        await seed.NodeAsync("n1", "10.231.0.11", 150);
        await seed.NodeAsync("n2", "10.231.0.12", 140);
        await seed.NodeAsync("n3", "10.231.0.13", 130);
        await seed.PostgresAsync(master, null, ("n1", 1, PostgresRole.Standby), ("n2", 2, PostgresRole.Standby), ("n3", 3, PostgresRole.Standby));
    }

    private Task RequestAsync(NodeName node, ReinitState state = ReinitState.Requested) =>
        _kv.PutAsync(_keys.PostgresReinit(node), KvJson.Serialize(new ReinitRequestRecord
        {
            Id = "00112233aabbccdd", State = state, RequestedBy = "alice@ws", RequestedAt = DateTimeOffset.UnixEpoch,
        }));

    private async Task<ReinitRequestRecord> RecordAsync(NodeName node) => KvJson.Parse<ReinitRequestRecord>((await _kv.GetAsync(_keys.PostgresReinit(node))).Value!);

    private async Task<string?> ReconcileAsync(NodeName node)
    {
        var reconciler = new PostgresReinitReconciler(_kv, _keys, node, "/pass", async (upstream, _) =>
        {
            _reclones.Add(upstream);
            return await Reclone(upstream);
        }, _log.Logger);
        return await reconciler.ReconcileAsync(await KvSnapshot.ReadAsync(_kv, _keys, reconciler.Prefixes, CancellationToken.None), CancellationToken.None);
    }
}
