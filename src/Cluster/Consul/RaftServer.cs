namespace HaManager.Cluster.Consul;

/// <param name="Address">Server RPC address, host:port.</param>
public sealed record RaftServer(string Id, string Node, string Address, bool Leader, bool Voter);
