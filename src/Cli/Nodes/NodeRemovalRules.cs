namespace HaManager.Cli.Nodes;

/// <summary>When `node remove` refuses without --force: one sentence per rule that applies.</summary>
public static class NodeRemovalRules
{
    public static IReadOnlyList<string> Refusals(NodeFootprint footprint, bool force)
    {
        if (force) return [];
        var refusals = new List<string>();
        if (footprint.IsPrimary)
            refusals.Add($"{footprint.Node} is the current PostgreSQL primary: move the primary first (hamanager switchover) or add --force");
        var remaining = footprint.Others.Count;
        if (remaining < NodeRemoval.MinimumNodes)
            refusals.Add($"removing {footprint.Node} would leave {remaining} node(s) ({string.Join(", ", footprint.Others)}), fewer than {NodeRemoval.MinimumNodes}: " +
                         "one more failure would then lose the majority that Consul and failover need; add --force to remove it anyway");
        return refusals;
    }
}
