namespace HaManager.Cluster.Consul;

/// <summary>A LAN gossip member as the agent sees it.</summary>
/// <param name="Status">Serf status: 1 alive, 2 leaving, 3 left, 4 failed.</param>
public sealed record AgentMember(string Name, string Addr, int Port, int Status, IReadOnlyDictionary<string, string> Tags)
{
    public const int StatusAlive = 1;

    public bool IsAlive => Status == StatusAlive;
}
