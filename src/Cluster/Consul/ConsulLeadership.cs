namespace HaManager.Cluster.Consul;

public static class ConsulLeadership
{
    /// <summary>true: the agent knows a Raft leader; false: it answers but has none (minority, election); null: it does not answer.</summary>
    public static async Task<bool?> HasLeaderAsync(this ConsulClient client, CancellationToken cancellationToken)
    {
        try
        {
            return await client.StatusLeaderAsync(cancellationToken) is not null;
        }
        catch (ConsulException)
        {
            return null;
        }
    }

    /// <summary>
    /// Whether the local agent is the Raft leader: the leader's RPC address (<c>/v1/status/leader</c>, "IP:PORT") names
    /// the agent's own address. False without a leader; Consul being unreachable throws, like every other read.
    /// </summary>
    public static async Task<bool> IsLocalAgentLeaderAsync(this ConsulClient client, CancellationToken cancellationToken)
    {
        if (await client.StatusLeaderAsync(cancellationToken) is not { } leader) return false;
        var self = await client.AgentSelfAsync(cancellationToken);
        var host = leader.LastIndexOf(':') is var colon and > 0 ? leader[..colon] : leader;
        return System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var leaderAddress)
            && System.Net.IPAddress.TryParse(self.Address, out var selfAddress)
            && leaderAddress.Equals(selfAddress);
    }
}
