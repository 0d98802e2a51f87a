using HaManager.Cluster.Model;

namespace HaManager.Watchers.Keepalived;

/// <summary>
/// The seed rule: the first node gets the top priority (and so holds the VIP); each later node takes
/// one step below the lowest priority already registered, so no two nodes ever share one.
/// </summary>
public static class KeepalivedPriorities
{
    public static int Choose(ClusterConfig config, IEnumerable<int> existingPriorities)
    {
        var existing = existingPriorities.ToList();
        if (existing.Count == 0) return config.TopPriority;
        var next = existing.Min() - config.PriorityStep;
        return next >= 1
            ? next
            : throw new InvalidOperationException(
                $"no VRRP priority left: the lowest registered priority is {existing.Min()} and the step is {config.PriorityStep}; " +
                "lower priority_step in the cluster config or renumber the nodes' priorities in KV");
    }
}
