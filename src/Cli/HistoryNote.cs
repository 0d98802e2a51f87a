using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;

namespace HaManager.Cli;

/// <summary>
/// A transition an operator command adds to KV history (switchover, drill), so `hamanager history` shows what was
/// done next to what the watchers did. Best-effort: history is for people, and the command's outcome stands without it.
/// </summary>
public static class HistoryNote
{
    /// <returns>False when Consul did not take it.</returns>
    public static async Task<bool> AppendAsync(IKvStore kv, KvKeys keys, NodeName node, string service, string from, string to, string details, DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        var transition = new Transition
        {
            Node = node, Service = service, From = from, To = to, At = at,
            Details = details.Length <= Transition.MaxDetailsLength ? details : details[..Transition.MaxDetailsLength],
        };
        try
        {
            await kv.PutAsync(keys.Transition(at, node, service), KvJson.Serialize(transition), 0, cancellationToken);
            return true;
        }
        catch (ConsulException)
        {
            return false;
        }
    }
}
