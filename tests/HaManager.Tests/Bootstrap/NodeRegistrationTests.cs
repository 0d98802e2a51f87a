using System.Net;
using HaManager.Bootstrap;
using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Tests.Support;

namespace HaManager.Tests.Bootstrap;

public sealed class NodeRegistrationTests
{
    private readonly InMemoryKvStore _kv = new();
    private readonly KvKeys _keys = new();

    [Fact]
    public async Task Register_ThreeNodesInTurn_GetDistinctDescendingPriorities()
    {
        await new ClusterSeed(_kv).ConfigAsync();
        foreach (var (name, address) in new[] { ("n1", "10.0.0.1"), ("n2", "10.0.0.2"), ("n3", "10.0.0.3") })
        {
            var registration = Registration(name, address);
            await registration.RegisterNodeAsync(CancellationToken.None);
            await registration.RegisterKeepalivedAsync(CancellationToken.None);
        }

        var priorities = (await _kv.ListAsync(_keys.KeepalivedNodesPrefix)).Value.Select(e => KvJson.Parse<KeepalivedNodeRecord>(e).Priority);
        priorities.Should().Equal(150, 140, 130);
    }

    [Fact]
    public async Task Register_Twice_ChangesNothing()
    {
        await new ClusterSeed(_kv).ConfigAsync();
        var registration = Registration("n1", "10.0.0.1");
        await registration.RegisterNodeAsync(CancellationToken.None);
        await registration.RegisterKeepalivedAsync(CancellationToken.None);
        var index = _kv.LastIndex;

        (await registration.RegisterNodeAsync(CancellationToken.None)).Should().Contain("already registered");
        (await registration.RegisterKeepalivedAsync(CancellationToken.None)).Should().Contain("keeps priority 150");
        _kv.LastIndex.Should().Be(index, "a converged re-run writes nothing");
    }

    [Fact]
    public async Task Register_NameTakenByAnotherAddress_IsRefused()
    {
        await new ClusterSeed(_kv).ConfigAsync();
        await Registration("n1", "10.0.0.1").RegisterNodeAsync(CancellationToken.None);
        var act = () => Registration("n1", "10.0.0.9").RegisterNodeAsync(CancellationToken.None);
        (await act.Should().ThrowAsync<BootstrapException>()).WithMessage("*already registered*10.0.0.1*");
    }

    private NodeRegistration Registration(string name, string address) => new(_kv, _keys, NodeName.Parse(name), IPAddress.Parse(address));
}
