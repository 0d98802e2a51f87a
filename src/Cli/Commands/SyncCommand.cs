using System.CommandLine;
using System.Globalization;
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
    public static Command Create()
    {
        var sync = new Command("sync", "The replicated folders (syncthing).");
        var folder = new Option<string[]>("--folder")
        {
            Description = "A replicated folder id from the cluster config (repeatable); default: every replicated folder",
            AllowMultipleArgumentsPerToken = false,
        };
        var timeout = new Option<double>("--timeout")
        {
            Description = "Seconds to wait before giving up",
            DefaultValueFactory = _ => 60,
        };
        var minPeers = new Option<int?>("--min-peers")
        {
            Description = "Succeed once this many other nodes have the folders (default: every registered node). Lets uploads go on while a node is down, at the cost of fewer copies.",
        };
        var wait = new Command("wait",
            "Rescan the folder(s) on this node, then wait until every other registered node is connected and reports them 100 % replicated. " +
            $"Exits {ExitCodes.Ok} when they do, {ExitCodes.NotReplicated} on timeout (naming each lagging node and why), " +
            $"{ExitCodes.InvalidInput} for an unknown folder, {ExitCodes.ConsulUnavailable} when Consul is unreachable, {ExitCodes.Failed} when syncthing's API fails.")
        {
            folder, timeout, minPeers,
        };
        wait.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var seconds = parse.GetValue(timeout);
            if (!(seconds is > 0 and <= 86_400)) throw new FormatException($"--timeout {seconds.ToString(CultureInfo.InvariantCulture)} must be between 0 and 86400 seconds");
            var required = parse.GetValue(minPeers);
            if (required is < 0) throw new FormatException($"--min-peers {required} must not be negative");

            using var context = CliContext.Create(parse, daemon: false);
            if (!context.Settings.Syncthing.Enabled) throw new FormatException("syncthing.enabled is false in the settings: nothing is replicated on this node");
            using var consul = context.CreateConsulClient();
            var self = NodeName.Parse(context.Settings.Node.Name);
            var (peers, folders) = await ReadTargetsAsync(consul, context.Keys, self, parse.GetValue(folder) ?? [], cancellationToken);
            if (required > peers.Count)
                throw new FormatException($"--min-peers {required} is more than the {peers.Count} other registered node(s) ({string.Join(", ", peers.Select(p => p.Node))})");

            using var api = SyncthingApi.FromSettings(context.Settings);
            var result = await new ReplicationWaiter(api).WaitAsync(peers, folders, TimeSpan.FromSeconds(seconds), required, cancellationToken);
            var what = string.Join(", ", folders);
            if (result.Replicated)
            {
                Console.Out.WriteLine(peers.Count == 0
                    ? $"{what}: no other node is registered, nothing to wait for"
                    : string.Create(CultureInfo.InvariantCulture, $"{what}: replicated to {string.Join(", ", result.Confirmed)} in {result.Elapsed.TotalSeconds:0.00} s")
                      + (result.Lagging.Count > 0 ? $" (still lagging: {string.Join("; ", result.Lagging)})" : string.Empty));
                return ExitCodes.Ok;
            }

            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"hamanager: error: {what} not confirmed on {(required ?? peers.Count)} other node(s) within {seconds:0.#} s; lagging: {string.Join("; ", result.Lagging.Select(l => l.Node).Distinct())}"));
            foreach (var lagging in result.Lagging) Console.Error.WriteLine($"  {lagging}");
            return ExitCodes.NotReplicated;
        }));
        sync.Subcommands.Add(wait);
        return sync;
    }

    private static async Task<(IReadOnlyList<SyncthingPeer> Peers, IReadOnlyList<string> Folders)> ReadTargetsAsync(
        IKvStore kv, KvKeys keys, NodeName self, IReadOnlyList<string> requested, CancellationToken cancellationToken)
    {
        var snapshot = await KvSnapshot.ReadAsync(kv, keys, [keys.Config, keys.SyncthingDevicesPrefix], cancellationToken);
        var errors = new List<KvValueError>();
        var desired = SyncthingDesiredState.Read(snapshot, self, f => f.Path, errors, out var notReady);
        if (desired is null)
            throw new KvValueException(errors.Count > 0 ? errors[0] : new KvValueError(keys.Config, notReady ?? "unreadable"));
        var configured = desired.Folders.Select(f => f.Id).ToList();
        var unknown = requested.Where(r => !configured.Contains(r, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
            throw new FormatException($"--folder {string.Join(", ", unknown)}: not a replicated folder (the cluster config at '{keys.Config}' has: {(configured.Count == 0 ? "none" : string.Join(", ", configured))})");
        var folders = requested.Count > 0 ? requested.Distinct(StringComparer.Ordinal).ToList() : configured;
        if (folders.Count == 0) throw new FormatException($"the cluster config at '{keys.Config}' has no replicated folders");
        return (desired.Peers, folders);
    }
}
