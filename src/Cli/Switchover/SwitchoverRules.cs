using System.Globalization;
using HaManager.Cluster.Model;

namespace HaManager.Cli.Switchover;

/// <summary>One node as a switchover sees it (from the live status).</summary>
/// <param name="Role">primary, standby, fenced or unknown (PostgreSQL does not answer).</param>
/// <param name="LagBytes">Replay lag as the primary reports it; null when the node does not stream from the primary.</param>
public sealed record SwitchoverNode(string Name, bool? Alive, string Role, string? Upstream, long? LagBytes, int? Priority);

/// <param name="Master">The node <c>postgres/master</c> names.</param>
/// <param name="Problems">What makes the cluster degraded (status' problems).</param>
/// <param name="Running">A switchover record still in KV, if any.</param>
public sealed record SwitchoverInput(
    string? Master, IReadOnlyList<SwitchoverNode> Nodes, string? RequestedTarget, IReadOnlyList<string> Problems,
    SwitchoverRecord? Running, DateTimeOffset Now, long MaxLagBytes);

/// <summary>Either a plan (from → to) or why not; never both.</summary>
public sealed record SwitchoverDecision(string? From, string? To, string? Refusal)
{
    public bool Refused => Refusal is not null;
    public static SwitchoverDecision Refuse(string why) => new(null, null, why);
}

/// <summary>
/// When a planned switchover may go ahead, and to which node: pure, one sentence per refusal. A target must
/// be a live, registered standby streaming from the registered primary within the lag bound; without one
/// named, the most advanced such standby (least replay lag, then the higher VRRP priority, then the name, so
/// the choice is repeatable). The primary must run as one, and the cluster must be healthy: a switchover is
/// never started in the middle of a failover or while something else is wrong.
/// </summary>
public static class SwitchoverRules
{
    /// <summary>A target more than this behind would keep clients paused while it catches up.</summary>
    public const long DefaultMaxLagBytes = 16L * 1024 * 1024;

    public static SwitchoverDecision Decide(SwitchoverInput input)
    {
        if (input.Running is { } running && running.IsActive(input.Now))
            return SwitchoverDecision.Refuse($"a switchover from {running.From} to {running.To} (by {running.By}, phase {running.Phase}) is still recorded; it expires at {running.Deadline:u}");
        if (input.Master is not { } master || input.Nodes.FirstOrDefault(n => n.Name == master) is not { } primary)
            return SwitchoverDecision.Refuse("no registered PostgreSQL master: nothing to switch over from");
        if (primary.Role != "primary")
            return SwitchoverDecision.Refuse($"the registered master {master} does not run as a primary (it is {primary.Role}): a failover may be in progress");

        string? target;
        if (input.RequestedTarget is { } requested)
        {
            if (requested == master) return SwitchoverDecision.Refuse($"{requested} is already the primary");
            if (input.Nodes.FirstOrDefault(n => n.Name == requested) is not { } node) return SwitchoverDecision.Refuse($"{requested} is not a registered node");
            if (WhyNot(node, master, input.MaxLagBytes) is { } why) return SwitchoverDecision.Refuse($"{requested} cannot become the primary: {why}");
            target = requested;
        }
        else
        {
            var standbys = input.Nodes.Where(n => n.Name != master).ToList();
            target = standbys.Where(n => WhyNot(n, master, input.MaxLagBytes) is null)
                .OrderBy(n => n.LagBytes).ThenByDescending(n => n.Priority ?? 0).ThenBy(n => n.Name, StringComparer.Ordinal)
                .FirstOrDefault()?.Name;
            if (target is null)
            {
                return SwitchoverDecision.Refuse(standbys.Count == 0
                    ? "there is no standby to switch over to"
                    : "no standby can become the primary: " + string.Join("; ", standbys.Select(n => $"{n.Name}: {WhyNot(n, master, input.MaxLagBytes)}")));
            }
        }

        if (input.Problems.Count > 0)
            return SwitchoverDecision.Refuse($"the cluster is not healthy ({string.Join("; ", input.Problems)}); fix that first");
        return new SwitchoverDecision(master, target, null);
    }

    /// <returns>Null when the node qualifies as a target.</returns>
    public static string? WhyNot(SwitchoverNode node, string master, long maxLagBytes)
    {
        if (node.Alive == false) return "it is not an alive Consul member";
        if (node.Role != "standby") return node.Role == "unknown" ? "its PostgreSQL does not answer" : $"its PostgreSQL is {node.Role}, not a standby";
        if (node.Upstream != master) return $"it does not stream from the primary {master} (upstream: {node.Upstream ?? "none"})";
        if (node.LagBytes is not { } lag) return $"the primary {master} does not report it as streaming";
        if (lag > maxLagBytes)
            return string.Create(CultureInfo.InvariantCulture, $"it lags {lag} bytes behind the primary (the bound is {maxLagBytes})");
        return null;
    }
}
