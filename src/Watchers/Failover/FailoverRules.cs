using System.Globalization;
using HaManager.Watchers.Postgres;

namespace HaManager.Watchers.Failover;

/// <summary>
/// The failure detector's decision, as a pure function (Patroni's lesson: one snapshot in, one decision
/// and one human sentence out). Safety rules:
/// <list type="bullet">
/// <item>a primary is replaced only when a majority of all registered nodes (this one included) has
///   not reached it: a primary that a majority still reaches is never replaced, and a minority never acts;</item>
/// <item>this node must itself have missed the primary for the whole <see cref="FailoverTiming.FailoverAfter"/>
///   (a link flap shorter than that changes nothing);</item>
/// <item>only the most advanced standby among those that agree may promote (Ganeti's rule: fail over
///   only to the node with the latest state), ties broken by VRRP priority, then by name, so every
///   node computes the same candidate.</item>
/// </list>
/// </summary>
public static class FailoverRules
{
    public static FailoverDecision Decide(FailoverInput input)
    {
        var self = input.SelfView;
        var timing = input.Timing;
        if (input.Self == input.Primary) return new(FailoverAction.None, $"{input.Self} is the primary", Kind: "primary");
        if (self.Role != ObserverView.Standby) return new(FailoverAction.None, $"{input.Self} is not a running standby ({self.Role}): it cannot be promoted", Kind: "not-standby");
        if (self.PrimaryUnreachableMilliseconds is not { } silentMs) return new(FailoverAction.None, $"primary {input.Primary} answers", Kind: "healthy");
        var silent = TimeSpan.FromMilliseconds(silentMs);
        if (silent < timing.FailoverAfter)
            return new(FailoverAction.Wait, $"primary {input.Primary} has not answered for {Seconds(silent)}; acting only after {Seconds(timing.FailoverAfter)}", Kind: "suspect");
        if (input.Paused)
            return new(FailoverAction.Wait, $"primary {input.Primary} has not answered for {Seconds(silent)}, but automatic failover is paused (a maintenance window or a planned switchover)", Kind: "paused");

        var agreeing = new List<ObserverView> { self };
        var stillReach = new List<string>();
        var noAnswer = new List<string>();
        var otherView = new List<string>();
        foreach (var (node, view) in input.Peers.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (view is null) noAnswer.Add(node);
            else if (view.PrimaryNode != input.Primary) otherView.Add($"{node} (knows {view.PrimaryNode ?? "no"} primary)");
            else if (view.PrimaryReachable) stillReach.Add(node);
            else if (view.PrimaryUnreachableMilliseconds >= (long)timing.PeerAgreeAfter.TotalMilliseconds) agreeing.Add(view);
            else stillReach.Add($"{node} (silent only {view.PrimaryUnreachableMilliseconds} ms)");
        }

        var needed = input.RegisteredNodes / 2 + 1;
        var voters = string.Join(", ", agreeing.Select(v => v.Node));
        if (agreeing.Count < needed)
        {
            var why = new List<string>();
            if (stillReach.Count > 0) why.Add($"still reached by {string.Join(", ", stillReach)}");
            if (noAnswer.Count > 0) why.Add($"no answer from {string.Join(", ", noAnswer)}");
            if (otherView.Count > 0) why.Add(string.Join(", ", otherView));
            return new(FailoverAction.Wait,
                $"primary {input.Primary} has not answered {input.Self} for {Seconds(silent)}, but only {agreeing.Count} of {input.RegisteredNodes} nodes agree " +
                $"({voters}; {needed} needed{(why.Count > 0 ? "; " + string.Join("; ", why) : string.Empty)}): no failover",
                Kind: $"no-quorum:{voters}");
        }

        var candidate = agreeing
            .Where(v => v.Role == ObserverView.Standby && PostgresState.TryParseLsn(v.Lsn, out _))
            .OrderByDescending(v => Lsn(v.Lsn))
            .ThenByDescending(v => v.Priority)
            .ThenBy(v => v.Node, StringComparer.Ordinal)
            .FirstOrDefault();
        if (candidate is null)
            return new(FailoverAction.Wait, $"primary {input.Primary} is unreachable for {voters}, but none of them is a standby that knows its WAL position", Kind: "no-candidate");

        var reason = $"primary {input.Primary} has not answered for {Seconds(silent)}; {agreeing.Count} of {input.RegisteredNodes} nodes agree ({voters}); " +
                     $"{candidate.Node} is the most advanced standby ({candidate.Lsn}, priority {candidate.Priority})";
        return candidate.Node == input.Self
            ? new(FailoverAction.Promote, $"{reason}: promoting {input.Self}", input.Self, "promote")
            : new(FailoverAction.Wait, $"{reason}: waiting for {candidate.Node} to promote", candidate.Node, "other-candidate");
    }

    private static ulong Lsn(string? text) => PostgresState.TryParseLsn(text, out var lsn) ? lsn : 0;

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
}
