using HaManager.Cluster.Consul;

namespace HaManager.Cli.Nodes;

/// <summary>Consul's view of who is in the cluster (Raft servers, gossip members), and the two ways to take a node out of it.</summary>
public interface IClusterMembership
{
    Task<IReadOnlyList<RaftServer>> RaftServersAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<AgentMember>> MembersAsync(CancellationToken cancellationToken);

    /// <param name="address">The server's RPC address (host:port) as the Raft configuration lists it.</param>
    Task RemoveRaftPeerAsync(string address, CancellationToken cancellationToken);

    /// <summary>Force-leave with prune: the member is dropped from the gossip list at once, so the name can join again.</summary>
    Task ForceLeaveAsync(string node, CancellationToken cancellationToken);
}
