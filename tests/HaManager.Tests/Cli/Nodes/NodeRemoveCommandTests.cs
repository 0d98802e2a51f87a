using System.Text.Json;
using HaManager.Cli;
using HaManager.Cli.Nodes;
using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Tests.Support;
using HaManager.Tests.Syncthing;

namespace HaManager.Tests.Cli.Nodes;

/// <summary>`hamanager node remove` against an in-memory KV, fake Consul membership and a fake repmgr: the refusal rules, what is deleted, idempotence.</summary>
public sealed class NodeRemoveCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly InMemoryKvStore _kv = new();
    private readonly KvKeys _keys = new();
    private readonly FakeMembership _membership = new();
    private readonly FakeRepmgrRegistry _repmgr = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Remove_AStandbyOfFour_DeletesEveryRecordTheRaftPeerAndTheMember_AndRecordsHistory()
    {
        await SeedAsync("n1", "n2", "n3", "n4");

        var run = await RunAsync("node", "remove", "n3");

        run.ExitCode.Should().Be(ExitCodes.Ok, run.ToString());
        var n3 = NodeName.Parse("n3");
        foreach (var key in new[] { _keys.Node(n3), _keys.KeepalivedNode(n3), _keys.PostgresNode(n3), _keys.PgbouncerNode(n3), _keys.SyncthingDevice(n3), _keys.PostgresReinit(n3) })
        {
            (await _kv.GetAsync(key)).Value.Should().BeNull(key);
            run.Out.Should().Contain($"KV: deleted {key}");
        }

        (await _kv.GetAsync(_keys.Node(NodeName.Parse("n4")))).Value.Should().NotBeNull("only n3's records go");
        _repmgr.Calls.Should().Equal("unregister n3 id 3 on n1");
        _membership.Calls.Should().Equal("remove-peer 10.231.0.13:8300", "force-leave n3");
        run.Out.Should().Contain("repmgr: on the primary n1, deleted node id(s) 3 from repmgr.nodes and dropped slot(s) repmgr_slot_3")
            .And.Contain("Removed n3. 3 node(s) remain: n1, n2, n4.");
        var history = (await _kv.ListAsync(_keys.TransitionsPrefix)).Value.Select(e => KvJson.Parse<Transition>(e)).Single();
        history.Node.Should().Be(n3);
        (history.Service, history.From, history.To).Should().Be(("node", "member", "removed"));
        history.Details.Should().Contain("alice@");
    }

    [Fact]
    public async Task Remove_ThePrimary_WithoutForce_IsRefusedAndChangesNothing()
    {
        await SeedAsync("n1", "n2", "n3", "n4");
        var index = _kv.LastIndex;

        var run = await RunAsync("node", "remove", "n1");

        run.ExitCode.Should().Be(ExitCodes.Refused, run.ToString());
        run.Error.Should().Contain("refused to remove n1: n1 is the current PostgreSQL primary").And.Contain("--force").And.Contain("Nothing was changed");
        _kv.LastIndex.Should().Be(index);
        _membership.Calls.Should().BeEmpty();
        _repmgr.Calls.Should().BeEmpty();
    }

    [Fact]
    public async Task Remove_LeavingTwoNodes_WithoutForce_IsRefused_WithForce_IsDone()
    {
        await SeedAsync("n1", "n2", "n3");

        var refused = await RunAsync("node", "remove", "n3", "--json");

        refused.ExitCode.Should().Be(ExitCodes.Refused, refused.ToString());
        var json = JsonDocument.Parse(refused.Out).RootElement;
        json.GetProperty("result").GetString().Should().Be("refused");
        json.GetProperty("refusals")[0].GetString().Should().Contain("would leave 2 node(s) (n1, n2), fewer than 3");
        (await _kv.GetAsync(_keys.Node(NodeName.Parse("n3")))).Value.Should().NotBeNull();

        var forced = await RunAsync("node", "remove", "n3", "--force");

        forced.ExitCode.Should().Be(ExitCodes.Ok, forced.ToString());
        (await _kv.GetAsync(_keys.Node(NodeName.Parse("n3")))).Value.Should().BeNull();
        _membership.Servers.Select(s => s.Node).Should().Equal("n1", "n2");
    }

    [Fact]
    public async Task Remove_Twice_TheSecondTimeIsANoOp()
    {
        await SeedAsync("n1", "n2", "n3");
        (await RunAsync("node", "remove", "n3", "--force")).ExitCode.Should().Be(ExitCodes.Ok);
        var index = _kv.LastIndex;
        _membership.Calls.Clear();
        _repmgr.Calls.Clear();

        var again = await RunAsync("node", "remove", "n3", "--json");

        again.ExitCode.Should().Be(ExitCodes.Ok, again.ToString());
        JsonDocument.Parse(again.Out).RootElement.GetProperty("result").GetString().Should().Be("nothing_to_do");
        (await RunAsync("node", "remove", "n3")).Out.Should().Contain("n3 is not part of the cluster").And.Contain("nothing to do");
        _kv.LastIndex.Should().Be(index, "nothing was written, not even history");
        _membership.Calls.Should().BeEmpty();
        _repmgr.Calls.Should().BeEmpty();
    }

    [Fact]
    public async Task Remove_OnlyConsulStillKnowsTheNode_FinishesTheConsulSteps()
    {
        await SeedAsync("n1", "n2", "n3", "n4");
        foreach (var key in (await _kv.ListAsync(_keys.Prefix)).Value.Select(e => e.Key).Where(k => k.EndsWith("/n4", StringComparison.Ordinal)))
            await _kv.DeleteAsync(key);

        var run = await RunAsync("node", "remove", "n4");

        run.ExitCode.Should().Be(ExitCodes.Ok, run.ToString());
        _membership.Calls.Should().Equal("remove-peer 10.231.0.14:8300", "force-leave n4");
        run.Out.Should().Contain("KV: no record of n4 was left");
    }

    [Fact]
    public async Task Remove_PrimaryUnreachable_WithoutForce_FailsAndChangesNothing()
    {
        await SeedAsync("n1", "n2", "n3", "n4");
        _repmgr.Failure = new TimeoutException("connect timed out");
        var index = _kv.LastIndex;

        var run = await RunAsync("node", "remove", "n3");

        run.ExitCode.Should().Be(ExitCodes.Failed, run.ToString());
        run.Error.Should().Contain("could not unregister n3 from repmgr on the primary n1").And.Contain("Nothing was removed");
        _kv.LastIndex.Should().Be(index);
        _membership.Calls.Should().BeEmpty();
    }

    [Fact]
    public async Task Remove_AnInvalidName_IsInvalidInput()
    {
        var run = await RunAsync("node", "remove", "n/3");

        run.ExitCode.Should().Be(ExitCodes.InvalidInput, run.ToString());
    }

    private async Task SeedAsync(params string[] nodes)
    {
        var seed = new ClusterSeed(_kv, _keys);
        await seed.ConfigAsync();
        var id = 0;
        foreach (var node in nodes)
        {
            id++;
            await seed.NodeAsync(node, $"10.231.0.{10 + id}", 160 - (10 * id));
            await seed.SyncthingDeviceAsync(node, SyncthingFixtures.IdOf(node), SyncthingFixtures.AddressOf(node));
            await _kv.PutAsync(_keys.PgbouncerNode(NodeName.Parse(node)), KvJson.Serialize(new PgbouncerNodeRecord
            {
                TargetNode = NodeName.Parse("n1"), TargetHost = IpAddresses.Parse("10.231.0.11"), Since = DateTimeOffset.UnixEpoch,
            }));
            _repmgr.Registered[node] = id;
        }

        await seed.PostgresAsync("n1", null, nodes.Select((n, i) => (n, i + 1, i == 0 ? PostgresRole.Primary : PostgresRole.Standby)).ToArray());
        await _kv.PutAsync(_keys.PostgresReinit(NodeName.Parse("n3")), KvJson.Serialize(new ReinitRequestRecord
        {
            Id = "0123456789abcdef", State = ReinitState.Done, RequestedBy = "bob@ws", RequestedAt = DateTimeOffset.UnixEpoch,
        }));
        _membership.WithNodes(nodes);
    }

    [Fact]
    public async Task Remove_WaitsOutAConsulElection_ItsRequestsOutliveConsulsRpcHold()
    {
        await SeedAsync("n1", "n2", "n3", "n4");
        var seen = new List<ConsulClientOptions>();
        var services = CliRun.AgainstKv(_dir.File("absent.yaml"), _kv) with
        {
            Membership = _ => _membership,
            Repmgr = _repmgr,
            ConnectConsul = options =>
            {
                seen.Add(options);
                return new ClusterConnection(_kv, probe: null);
            },
        };

        var run = await CliRun.RunAsync(services, "node", "remove", "n3");

        run.ExitCode.Should().Be(ExitCodes.Ok, run.ToString());
        // Consul holds a request up to 7 s (rpc_hold_timeout) while the survivors of a dead server elect a leader.
        seen.Should().ContainSingle().Which.RequestTimeout.Should().BeGreaterThan(TimeSpan.FromSeconds(7));
    }

    private Task<CliRun> RunAsync(params string[] args) =>
        CliRun.RunAsync(CliRun.AgainstKv(_dir.File("absent.yaml"), _kv) with { Membership = _ => _membership, Repmgr = _repmgr }, args);
}
