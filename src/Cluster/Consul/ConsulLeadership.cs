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
}
