using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using HaManager.Cluster.Config;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Watchers.Syncthing;

namespace HaManager.Cli.Commands;

/// <summary>
/// `hamanager config show|set`: the cluster settings in KV (`config`), edited like `patronictl edit-config`: the
/// whole result is validated, written by compare-and-set on the value that was read, and shown as a diff.
/// Only KV is touched; every node's watcher renders the change.
/// </summary>
public static class ConfigCommand
{
    public static Command Create(CliServices services)
    {
        var config = new Command("config", "Show or change the cluster settings stored in Consul KV (virtual IP, VRRP router id and advert interval, priorities, replicated folders).");
        config.Subcommands.Add(CreateShow(services));
        config.Subcommands.Add(CreateSet(services));
        return config;
    }

    private static Command CreateShow(CliServices services)
    {
        var json = OptionValues.Flag("--json", "Print only the stored JSON document");
        var show = new Command("show", "Print the cluster settings as stored, with the ModifyIndex that a change is checked against.") { json };
        show.SetAction((parse, cancellationToken) => CommandRunner.RunOnClusterAsync(parse, services, async (context, cluster) =>
        {
            var entry = await ReadAsync(cluster.Kv, context.Keys.Config, cancellationToken);
            var document = JsonNode.Parse(entry.Value)!.ToJsonString(CliJson.Options);
            if (!parse.GetValue(json)) context.Out.WriteLine($"# {entry.Key} (ModifyIndex {entry.ModifyIndex}); change with: hamanager config set KEY=VALUE");
            context.Out.WriteLine(document);
            return ExitCodes.Ok;
        }));
        return show;
    }

    private static Command CreateSet(CliServices services)
    {
        var assignments = new Argument<string[]>("KEY=VALUE")
        {
            Description = "A top-level field and its new value: JSON when it parses as JSON (2, [..]), text otherwise (10.0.0.50/24)",
            Arity = ArgumentArity.OneOrMore,
        };
        var dryRun = OptionValues.Flag("--dry-run", "Validate and print the diff; write nothing");
        var json = OptionValues.Flag("--json", "Print one JSON object (key, changes, written, dry_run, modify_index)");
        var set = new Command("set",
            "Change cluster settings, e.g. 'config set advert_int_seconds=2'. The whole result is validated first: an invalid value is refused " +
            "with the field named and nothing is written. The write is a compare-and-set on the value read, so a concurrent change is never " +
            $"overwritten. Prints the diff. Exits {ExitCodes.InvalidInput} for an invalid change.") { assignments, dryRun, json };
        set.SetAction((parse, cancellationToken) => CommandRunner.RunOnClusterAsync(parse, services, async (context, cluster) =>
        {
            var key = context.Keys.Config;
            var entry = await ReadAsync(cluster.Kv, key, cancellationToken);
            var (document, config) = ClusterConfigEdit.Apply(key, entry.Value, parse.GetValue(assignments) ?? []);
            if (context.OnNode && context.Settings.Syncthing.Enabled) RefuseFoldersThisNodeRefuses(key, entry, config, ReplicatedFolderGuard.FromSettings(context.Settings));
            var changes = ClusterConfigChange.Between(JsonNode.Parse(entry.Value)!.AsObject(), document);
            var write = changes.Count > 0 && !parse.GetValue(dryRun);
            if (write && !await cluster.Kv.PutAsync(key, JsonSerializer.SerializeToUtf8Bytes(document), entry.ModifyIndex, cancellationToken))
                throw new InvalidOperationException($"'{key}' was changed by someone else while this command ran (it was at ModifyIndex {entry.ModifyIndex}); nothing was written: run the command again");
            if (parse.GetValue(json))
                context.Out.WriteLine(JsonSerializer.Serialize(new ConfigSetResult(key, changes, write, parse.GetValue(dryRun), entry.ModifyIndex), CliJson.Options));
            else WriteDiff(context.Out, key, entry.ModifyIndex, changes, write);
            return ExitCodes.Ok;
        }));
        return set;
    }

    /// <summary>
    /// A new or moved replicated folder that this node's syncthing.allowed_roots would refuse is refused here, before
    /// anything is written (the nodes would refuse it anyway, each naming the key). Path rules only: the filesystem
    /// check (symbolic links) is the watcher's, on each node.
    /// </summary>
    private static void RefuseFoldersThisNodeRefuses(string key, KvEntry stored, ClusterConfig config, ReplicatedFolderGuard guard)
    {
        var before = KvJson.TryParse<ClusterConfig>(stored, out var old, out _) ? old!.ReplicatedFolders : [];
        var refused = config.ReplicatedFolders.Where(f => !before.Contains(f))
            .Select(f => guard.RefusalByPath(f) is { } reason ? $"replicated folder '{f.Id}' (path '{f.Path}') would be refused: {reason}" : null)
            .OfType<string>().ToList();
        if (refused.Count > 0)
            throw new FormatException($"{string.Join("; ", refused)} (syncthing.allowed_roots of this node's settings); nothing was written to '{key}'");
    }

    private static async Task<KvEntry> ReadAsync(IKvStore kv, string key, CancellationToken cancellationToken) =>
        (await kv.GetAsync(key, null, cancellationToken)).Value ?? throw new InvalidOperationException($"no cluster config at '{key}' (not bootstrapped?)");

    private static void WriteDiff(TextWriter output, string key, ulong index, IReadOnlyList<ClusterConfigChange> changes, bool written)
    {
        if (changes.Count == 0)
        {
            output.WriteLine($"{key} already has these values; nothing to change.");
            return;
        }

        output.WriteLine($"--- {key} (ModifyIndex {index})");
        output.WriteLine($"+++ {key} ({(written ? "written" : "dry run, not written")})");
        foreach (var change in changes)
        {
            if (change.From is not null) output.WriteLine($"-  \"{change.Field}\": {change.From}");
            if (change.To is not null) output.WriteLine($"+  \"{change.Field}\": {change.To}");
        }

        output.WriteLine(written
            ? "Written. Every node's watcher renders the change within seconds (hamanager status shows the result)."
            : "--dry-run: nothing was written.");
    }
}
