using HaManager.Cli.Nodes;
using HaManager.Cluster.Consul;

namespace HaManager.Tests.Cli.Nodes;

/// <summary>Consul's Raft peers and members in memory; removals take effect like Consul's (the entry is gone).</summary>
internal sealed class FakeMembership : IClusterMembership
{
    public List<RaftServer> Servers { get; } = [];
    public List<AgentMember> Members { get; } = [];
    public List<string> Calls { get; } = [];

    public FakeMembership WithNodes(params string[] names)
    {
        foreach (var name in names)
        {
            var address = $"10.231.0.1{name[1..]}";
            Servers.Add(new RaftServer(name + "-id", name, address + ":8300", name == "n1", Voter: true));
            Members.Add(new AgentMember(name, address, 8301, name == "n3" ? 4 : AgentMember.StatusAlive, new Dictionary<string, string>()));
        }

        return this;
    }

    public Task<IReadOnlyList<RaftServer>> RaftServersAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<RaftServer>>(Servers.ToList());

    public Task<IReadOnlyList<AgentMember>> MembersAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<AgentMember>>(Members.ToList());

    public Task RemoveRaftPeerAsync(string address, CancellationToken cancellationToken)
    {
        Calls.Add("remove-peer " + address);
        Servers.RemoveAll(s => s.Address == address);
        return Task.CompletedTask;
    }

    public Task ForceLeaveAsync(string node, CancellationToken cancellationToken)
    {
        Calls.Add("force-leave " + node);
        Members.RemoveAll(m => m.Name == node);
        return Task.CompletedTask;
    }
}
