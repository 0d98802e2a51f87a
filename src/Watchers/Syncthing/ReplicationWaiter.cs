using System.Diagnostics;
using System.Globalization;
using HaManager.Cluster.Model;

namespace HaManager.Watchers.Syncthing;

/// <summary>One peer that does not (yet) have a folder, and why.</summary>
public sealed record LaggingPeer(NodeName Node, string Folder, string Reason)
{
    public override string ToString() => $"{Node}: {Folder} {Reason}";
}

public sealed record ReplicationResult(bool Replicated, IReadOnlyList<NodeName> Confirmed, IReadOnlyList<LaggingPeer> Lagging, TimeSpan Elapsed);

/// <summary>
/// Confirmed replication (`hamanager sync wait`): rescan the folders so just-written files are in the
/// index, then poll until every peer is connected and reports the folders 100 % complete. This is the
/// gap the seed design names — an upload is only acknowledged once another node has it.
/// </summary>
public sealed class ReplicationWaiter(ISyncthingApi api, TimeSpan? pollInterval = null)
{
    private readonly TimeSpan _poll = pollInterval ?? TimeSpan.FromMilliseconds(200);

    /// <param name="requiredPeers">How many peers must have every folder; null means all of them.</param>
    /// <param name="progress">Gets, after every poll that is not yet enough, who is still lagging and why.</param>
    public async Task<ReplicationResult> WaitAsync(IReadOnlyList<SyncthingPeer> peers, IReadOnlyList<string> folders, TimeSpan timeout,
        int? requiredPeers, CancellationToken cancellationToken, IProgress<string>? progress = null)
    {
        var stopwatch = Stopwatch.StartNew();
        var required = Math.Min(requiredPeers ?? peers.Count, peers.Count);
        foreach (var folder in folders) await api.ScanAsync(folder, cancellationToken);

        while (true)
        {
            var (confirmed, lagging) = await CheckAsync(peers, folders, cancellationToken);
            if (confirmed.Count >= required)
                return new ReplicationResult(true, confirmed, lagging, stopwatch.Elapsed);
            if (stopwatch.Elapsed >= timeout)
                return new ReplicationResult(false, confirmed, lagging, stopwatch.Elapsed);
            progress?.Report(string.Create(CultureInfo.InvariantCulture,
                $"{confirmed.Count} of {required} confirmed; {string.Join("; ", lagging)} ({(timeout - stopwatch.Elapsed).TotalSeconds:0} s left)"));
            await Task.Delay(_poll, cancellationToken);
        }
    }

    private async Task<(List<NodeName> Confirmed, List<LaggingPeer> Lagging)> CheckAsync(IReadOnlyList<SyncthingPeer> peers, IReadOnlyList<string> folders,
        CancellationToken cancellationToken)
    {
        var connections = await api.ConnectionsAsync(cancellationToken);
        var config = await api.GetConfigAsync(cancellationToken);
        var sharing = (config["folders"] as System.Text.Json.Nodes.JsonArray ?? [])
            .OfType<System.Text.Json.Nodes.JsonObject>()
            .ToDictionary(f => f["id"]?.GetValue<string>() ?? "", f => (f["devices"] as System.Text.Json.Nodes.JsonArray ?? [])
                .Select(d => d?["deviceID"]?.GetValue<string>()).OfType<string>().ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);

        var confirmed = new List<NodeName>();
        var lagging = new List<LaggingPeer>();
        foreach (var peer in peers)
        {
            var before = lagging.Count;
            if (!connections.GetValueOrDefault(peer.DeviceId.Value))
            {
                lagging.Add(new LaggingPeer(peer.Node, string.Join(", ", folders), $"not replicated: {peer.Node} is not connected (syncthing at {peer.Address})"));
                continue;
            }

            foreach (var folder in folders)
            {
                if (!sharing.TryGetValue(folder, out var devices) || !devices.Contains(peer.DeviceId.Value))
                {
                    lagging.Add(new LaggingPeer(peer.Node, folder, "is not shared with it yet (its registration has not reached this node's watcher)"));
                    continue;
                }

                var completion = await api.CompletionAsync(folder, peer.DeviceId.Value, cancellationToken);
                if (!completion.HasAnnounced)
                    lagging.Add(new LaggingPeer(peer.Node, folder, $"has not announced any of its {completion.GlobalItems} item(s) yet"));
                else if (!completion.IsComplete)
                    lagging.Add(new LaggingPeer(peer.Node, folder, string.Create(CultureInfo.InvariantCulture,
                        $"at {completion.Completion:0.#} % ({completion.NeedItems} item(s), {completion.NeedBytes} bytes, {completion.NeedDeletes} deletion(s) to go)")));
            }

            if (lagging.Count == before) confirmed.Add(peer.Node);
        }

        return (confirmed, lagging);
    }
}
