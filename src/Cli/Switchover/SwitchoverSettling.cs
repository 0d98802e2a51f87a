using HaManager.Api.Status;

namespace HaManager.Cli.Switchover;

/// <summary>
/// After the switch: waits until the VIP is on the new primary and every other node streams from it (the old
/// primary through the fencer's rejoin, the others through the standby follower), printing each as it happens.
/// </summary>
public sealed class SwitchoverSettling(ClusterStatusReader reader, SwitchoverPlan plan, Action<string> print, SwitchoverRun run)
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var to = plan.To.Value;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var status = await reader.ReadAsync(cancellationToken);
            var pending = new List<string>();
            Check(status.VipHolder == to, "vip", $"the virtual IP is on {to}", "the virtual IP to move");
            foreach (var node in status.Nodes.Where(n => n.Name != to))
                Check(node.Postgres is { Role: "standby" } pg && pg.Upstream == to, node.Name, $"{node.Name} streams from {to}", $"{node.Name} to stream from {to}");
            if (pending.Count == 0) return true;
            if (DateTime.UtcNow > deadline)
            {
                print($"[{run.Elapsed.TotalSeconds,6:0.00} s] still waiting for {string.Join(", ", pending)} after {timeout.TotalSeconds:0} s");
                return false;
            }

            await Task.Delay(Poll, cancellationToken);

            void Check(bool done, string key, string sentence, string waitingFor)
            {
                if (!done) pending.Add(waitingFor);
                else if (seen.Add(key)) print($"[{run.Elapsed.TotalSeconds,6:0.00} s] {sentence}");
            }
        }
    }
}
