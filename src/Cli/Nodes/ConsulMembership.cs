using HaManager.Cluster.Consul;

namespace HaManager.Cli.Nodes;

/// <summary><see cref="IClusterMembership"/> through the Consul HTTP API (needs operator:write and agent:write).</summary>
public sealed class ConsulMembership(ConsulClient consul) : IClusterMembership, IDisposable
{
    public Task<IReadOnlyList<RaftServer>> RaftServersAsync(CancellationToken cancellationToken) => consul.RaftConfigurationAsync(ct: cancellationToken);

    public Task<IReadOnlyList<AgentMember>> MembersAsync(CancellationToken cancellationToken) => consul.AgentMembersAsync(cancellationToken);

    public Task RemoveRaftPeerAsync(string address, CancellationToken cancellationToken) => consul.RaftRemovePeerAsync(address, cancellationToken);

    public Task ForceLeaveAsync(string node, CancellationToken cancellationToken) => consul.AgentForceLeaveAsync(node, prune: true, cancellationToken);

    public void Dispose() => consul.Dispose();
}
