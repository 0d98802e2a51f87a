using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Watchers.Engine;
using HaManager.Watchers.Syncthing;

namespace HaManager.Cli.Commands;

/// <summary>`hamanager sync wait`: confirmed replication of the syncthing folders, for upload handlers to call before they report success.</summary>
public static class SyncCommand
{
    private const double MaxTimeoutSeconds = 86_400;

    public static Command Create(CliServices services)
    {
        var sync = new Command("sync", "The replicated folders (syncthing).");
        var folder = new Option<string[]>("--folder")
        {
            Description = "A replicated folder id from the cluster config (repeatable); default: every replicated folder",
            HelpName = "ID",
            AllowMultipleArgumentsPerToken = false,
        };
        var timeout = OptionValues.Seconds("--timeout", "Seconds to wait before giving up", 60, MaxTimeoutSeconds);
        var minPeers = OptionValues.Count("--min-peers",
            "Succeed once this many other nodes have the folders (default: every registered node). Lets uploads go on while a node is down, at the cost of fewer copies.",
            min: 0);
        var json = OptionValues.Flag("--json", "Print the outcome as one JSON object (replicated, confirmed, lagging, seconds) on stdout, also on a timeout");
        var wait = new Command("wait",
            "Rescan the folder(s) on this node, then wait until every other registered node is connected and reports them 100 % replicated. " +
            $"Exits {ExitCodes.Ok} when they do, {ExitCodes.NotReplicated} on timeout (naming each lagging node and why), " +
            $"{ExitCodes.InvalidInput} for an unknown folder, {ExitCodes.ConsulUnavailable} when Consul is unreachable, {ExitCodes.Failed} when syncthing's API fails.")
        {
            folder, timeout, minPeers, json,
        };
        wait.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(parse, async () =>
        {
            var seconds = parse.GetValue(timeout);
            var required = parse.GetValue(minPeers);

            using var context = CliContext.Create(parse, daemon: false, services: services);
            if (!context.Settings.Syncthing.Enabled) throw new FormatException("syncthing.enabled is false in the settings: nothing is replicated on this node");
            using var cluster = context.ConnectConsul();
            var self = NodeName.Parse(context.Settings.Node.Name);
            var (peers, folders) = await ReadTargetsAsync(cluster.Kv, context.Keys, self, ReplicatedFolderGuard.FromSettings(context.Settings),
                parse.GetValue(folder) ?? [], cancellationToken);
            if (required > peers.Count)
                throw new FormatException($"--min-peers {required} is more than the {peers.Count} other registered node(s) ({string.Join(", ", peers.Select(p => p.Node))})");

            var api = services.Syncthing(context.Settings, null);
            using var disposeApi = api as IDisposable;
            var what = string.Join(", ", folders);
            var result = await context.Waits.WhileAsync($"Waiting for {what} to reach {(required ?? peers.Count)} other node(s)",
                progress => new ReplicationWaiter(api).WaitAsync(peers, folders, TimeSpan.FromSeconds(seconds), required, cancellationToken, progress));
            if (parse.GetValue(json))
                context.Out.WriteLine(JsonSerializer.Serialize(SyncWaitResult.From(folders, required ?? peers.Count, seconds, result), CliJson.Options));
            if (result.Replicated)
            {
                if (!parse.GetValue(json))
                {
                    context.Out.WriteLine(peers.Count == 0
                        ? $"{what}: no other node is registered, nothing to wait for"
                        : string.Create(CultureInfo.InvariantCulture, $"{what}: replicated to {string.Join(", ", result.Confirmed)} in {result.Elapsed.TotalSeconds:0.00} s")
                          + (result.Lagging.Count > 0 ? $" (still lagging: {string.Join("; ", result.Lagging)})" : string.Empty));
                }

                return ExitCodes.Ok;
            }

            context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"hamanager: error: {what} not confirmed on {(required ?? peers.Count)} other node(s) within {seconds:0.#} s; lagging: {string.Join("; ", result.Lagging.Select(l => l.Node).Distinct())}"));
            foreach (var lagging in result.Lagging) context.Error.WriteLine($"  {lagging}");
            return ExitCodes.NotReplicated;
        }));
        sync.Subcommands.Add(wait);
        return sync;
    }

    private static async Task<(IReadOnlyList<SyncthingPeer> Peers, IReadOnlyList<string> Folders)> ReadTargetsAsync(
        IKvStore kv, KvKeys keys, NodeName self, ReplicatedFolderGuard guard, IReadOnlyList<string> requested, CancellationToken cancellationToken)
    {
        var snapshot = await KvSnapshot.ReadAsync(kv, keys, [keys.Config, keys.SyncthingDevicesPrefix, keys.NodesPrefix], cancellationToken);
        var errors = new List<KvValueError>();
        var desired = SyncthingDesiredState.Read(snapshot, self, guard.Place, errors, out var notReady);
        if (desired is null)
            throw new KvValueException(errors.Count > 0 ? errors[0] : new KvValueError(keys.Config, notReady ?? "unreadable"));
        // A folder this node refuses is not replicated from here: waiting for it could only time out.
        var refused = desired.Refused.Where(r => requested.Contains(r.Folder.Id, StringComparer.Ordinal)).ToList();
        if (refused.Count > 0)
            throw new FormatException($"--folder {string.Join(", ", refused.Select(r => r.Folder.Id))}: {string.Join("; ", refused.Select(r => r.Message))} (see '{keys.Config}')");
        var configured = desired.Folders.Select(f => f.Id).ToList();
        var unknown = requested.Where(r => !configured.Contains(r, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
            throw new FormatException($"--folder {string.Join(", ", unknown)}: not a replicated folder (the cluster config at '{keys.Config}' has: {(configured.Count == 0 ? "none" : string.Join(", ", configured))})");
        var folders = requested.Count > 0 ? requested.Distinct(StringComparer.Ordinal).ToList() : configured;
        if (folders.Count == 0) throw new FormatException($"the cluster config at '{keys.Config}' has no replicated folders");
        return (desired.Peers, folders);
    }
}
