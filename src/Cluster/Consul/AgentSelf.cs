namespace HaManager.Cluster.Consul;

/// <param name="Address">The agent's gossip address (Member.Addr).</param>
public sealed record AgentSelf(string NodeName, string Datacenter, bool Server, string Address);
