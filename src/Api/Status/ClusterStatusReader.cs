using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.History;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Watchers.Syncthing;

namespace HaManager.Api.Status;

/// <summary>
/// Builds the cluster's status from one read of each KV prefix plus, when a probe is given, live facts
/// (Consul membership, each PostgreSQL's real role). Invalid values and disagreements become named problems.
/// </summary>
/// <param name="syncthing">The local syncthing's API, with the local node's name: connections and completion are as this node sees them.</param>
/// <param name="staleReads">Let any Consul server answer: the daemon reads every second and must not stall while Raft elects a leader.</param>
/// <param name="tally">Counts every transition for /metrics (the daemon keeps one); without it the snapshot has no counts.</param>
/// <param name="folderGuard">This node's rules for replicated folders: each folder of the cluster config it refuses is a problem. Only on a node (its settings say what it allows).</param>
public sealed class ClusterStatusReader(IKvStore kv, KvKeys keys, IClusterProbe? probe = null, int postgresPort = 5432,
    (NodeName Self, ISyncthingApi Api)? syncthing = null, bool staleReads = false, TimeProvider? clock = null, TransitionTally? tally = null,
    ReplicatedFolderGuard? folderGuard = null)
{
    public const int TransitionsShown = TransitionRetention.AlwaysKept;

    /// <summary>How long the VIP may sit on another node than the primary before it is a problem (times of one machine each).</summary>
    public static readonly TimeSpan VipMismatchGrace = TimeSpan.FromSeconds(10);

    private readonly QueryOptions _read = new() { Stale = staleReads };

    public async Task<ClusterStatus> ReadAsync(CancellationToken cancellationToken) => (await ReadSnapshotAsync(cancellationToken)).Status;

    /// <summary>The status plus what only metrics need: every transition counted (with a tally) and the newest drill.</summary>
    public async Task<ClusterSnapshot> ReadSnapshotAsync(CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var config = await ReadOneAsync<ClusterConfig>(keys.Config, problems, cancellationToken);
        if (config is null && problems.Count == 0) problems.Add($"no cluster config at '{keys.Config}' (not bootstrapped?)");
        var master = await ReadOneAsync<PostgresMasterRecord>(keys.PostgresMaster, problems, cancellationToken);
        var notes = new List<string>();
        var secrets = await ReadSecretsAsync(problems, notes, cancellationToken);
        var maintenance = await ReadOneAsync<MaintenanceRecord>(keys.Maintenance, problems, cancellationToken);

        var nodes = await ReadAllAsync<NodeRecord>(keys.NodesPrefix, problems, cancellationToken);
        var keepalived = await ReadAllAsync<KeepalivedNodeRecord>(keys.KeepalivedNodesPrefix, problems, cancellationToken);
        var pgNodes = await ReadAllAsync<PostgresNodeRecord>(keys.PostgresNodesPrefix, problems, cancellationToken);
        var bouncers = await ReadAllAsync<PgbouncerNodeRecord>(keys.PgbouncerNodesPrefix, problems, cancellationToken);
        // Only the newest transitions: the history may hold thousands (pruning bounds it), status shows 50.
        var history = new TransitionHistory(kv, keys, _read);
        var newest = await history.ReadAsync(new TransitionQuery(TransitionsShown), cancellationToken);
        problems.AddRange(newest.Invalid.Select(e => e.ToString()));
        var devices = await ReadAllAsync<SyncthingDeviceRecord>(keys.SyncthingDevicesPrefix, problems, cancellationToken);
        var folders = config?.ReplicatedFolders.Select(f => f.Id).ToList() ?? [];
        var syncView = await ProbeSyncthingAsync(devices, folders, problems, cancellationToken);

        var alive = probe is null ? null : await probe.ConsulMembersAliveAsync(cancellationToken);
        var voters = probe is null ? new Dictionary<string, bool>() : await probe.RaftVotersAsync(cancellationToken);
        foreach (var (server, voter) in voters.Where(v => !v.Value))
            problems.Add($"Consul server {server} is a non-voter: the cluster tolerates one failure less until it votes again (restart its Consul agent if this lasts)");
        var live = new Dictionary<string, PostgresProbeResult>(StringComparer.Ordinal);
        // Without the secrets (a token that may not read them) PostgreSQL is described as KV records it, never as "not answering".
        var probesPostgres = probe is not null && secrets is not null;
        if (probe is not null && secrets is not null)
        {
            var probes = nodes.Values.Select(async n => (n.Name.Value, await probe.ProbePostgresAsync(n.Address, postgresPort, secrets, cancellationToken)));
            foreach (var (name, result) in await Task.WhenAll(probes)) live[name] = result;
        }

        var lag = live.Values.Where(r => r.Role == "primary").SelectMany(r => r.StandbyLagBytes).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.First().Value);
        var names = nodes.Keys.Union(keepalived.Keys).Order(StringComparer.Ordinal);
        var nodeStatuses = names.Select(name =>
        {
            nodes.TryGetValue(name, out var node);
            keepalived.TryGetValue(name, out var vrrp);
            pgNodes.TryGetValue(name, out var pg);
            bouncers.TryGetValue(name, out var bouncer);
            live.TryGetValue(name, out var probed);
            bool? isAlive = alive is null ? null : alive.GetValueOrDefault(name);
            var role = probed is { Role: not "unknown" } ? probed.Role : pg?.Role == PostgresRole.Fenced ? "fenced" : !probesPostgres ? (pg?.Role ?? PostgresRole.Unknown).ToString().ToLowerInvariant() : "unknown";
            var upstream = probed?.UpstreamHost is { } host ? nodes.Values.FirstOrDefault(n => n.Address.Equals(host))?.Name.Value : role == "standby" ? pg?.Upstream?.Value : null;
            var vrrpState = (vrrp?.State ?? KeepalivedState.Unknown).ToString().ToUpperInvariant();
            return new NodeStatus(name, node?.Address.ToString(), isAlive, node?.JoinedAt, node?.Version,
                new KeepalivedStatus(vrrp?.Priority, isAlive == false ? "UNREACHABLE" : vrrpState, vrrp?.Since),
                new PostgresStatus(role, upstream, role == "standby" && lag.TryGetValue(name, out var bytes) ? bytes : null, pg?.NodeId),
                new PgbouncerStatus(bouncer?.TargetNode.Value),
                SyncthingFor(name, devices.GetValueOrDefault(name), folders, syncView));
        }).ToList();

        Diagnose(nodeStatuses, master, keepalived.Keys.Except(nodes.Keys), probesPostgres, problems);
        DiagnoseSyncthing(nodeStatuses, syncView, problems);
        DiagnoseReplication(config, devices, nodes, problems);
        var recent = newest.Transitions
            .Select(t => new TransitionStatus(t.At, t.Node.Value, t.Service, t.From, t.To, t.Details)).ToList();
        var drills = await ReadAllAsync<DrillRecord>(keys.DrillsPrefix, problems, cancellationToken);
        var masters = nodeStatuses.Where(n => n.Keepalived.State == "MASTER").ToList();
        var status = new ClusterStatus(config?.VirtualIp.ToString(), masters.Count == 1 ? masters[0].Name : null, master?.Node.Value,
            syncView is null ? null : syncthing!.Value.Self.Value, nodeStatuses, recent, problems.Count > 0, problems)
        {
            Notes = notes,
            Maintenance = maintenance is not null && maintenance.IsActiveAt((clock ?? TimeProvider.System).GetUtcNow())
                ? new MaintenanceStatus(maintenance.By, maintenance.Reason, maintenance.Since, maintenance.Until)
                : null,
        };
        var counts = tally is null ? [] : await tally.CountAsync(history, cancellationToken);
        return new ClusterSnapshot(status, counts, drills.Values.MaxBy(d => d.At));
    }

    private void Diagnose(List<NodeStatus> nodes, PostgresMasterRecord? master, IEnumerable<string> unregistered, bool probedPostgres, List<string> problems)
    {
        var vrrpMasters = nodes.Where(n => n.Keepalived.State == "MASTER").Select(n => n.Name).ToList();
        if (vrrpMasters.Count == 0) problems.Add("no node reports keepalived MASTER: the virtual IP may be unassigned");
        if (vrrpMasters.Count > 1) problems.Add($"{vrrpMasters.Count} nodes report keepalived MASTER ({string.Join(", ", vrrpMasters)}): split brain on the virtual IP");
        foreach (var name in unregistered) problems.Add($"'{keys.KeepalivedNode(NodeName.Parse(name))}' exists but node {name} is not registered");
        foreach (var dead in nodes.Where(n => n.Alive == false)) problems.Add($"node {dead.Name} is not an alive Consul member");

        if (!nodes.Any(n => n.Postgres.NodeId is not null)) return; // PostgreSQL not bootstrapped on any node
        if (master is null) problems.Add($"no PostgreSQL master registered at '{keys.PostgresMaster}'");
        var primaries = nodes.Where(n => n.Postgres.Role == "primary").Select(n => n.Name).ToList();
        if (probedPostgres && primaries.Count == 0) problems.Add("no node runs a writable PostgreSQL primary");
        if (primaries.Count > 1) problems.Add($"{primaries.Count} PostgreSQL primaries ({string.Join(", ", primaries)}): split brain");
        if (master is not null && probedPostgres && primaries.Count > 0 && !primaries.Contains(master.Node.Value))
            problems.Add($"KV names {master.Node} as master but the running primary is {string.Join(", ", primaries)}");
        // A node whose PostgreSQL is down is one failure from an outage even while its Consul agent is alive.
        if (probedPostgres)
        {
            foreach (var silent in nodes.Where(n => n.Alive != false && n.Postgres.NodeId is not null && n.Postgres.Role is "unknown" or "fenced"))
                problems.Add(silent.Postgres.Role == "fenced"
                    ? $"PostgreSQL on {silent.Name} is fenced (stopped by HaManager) and has not rejoined as a standby yet"
                    : $"PostgreSQL on {silent.Name} does not answer (not running, not reachable from here, or too slow to accept a connection)");
        }

        if (master is null) return;
        // The VIP follows the primary; right after a promotion it takes an advert or two to get there.
        if (vrrpMasters.Count == 1 && vrrpMasters[0] != master.Node.Value && nodes.Any(n => n.Name == master.Node.Value && n.Alive != false))
        {
            var holder = nodes.Single(n => n.Name == vrrpMasters[0]);
            var settled = DateTimeOffset.UtcNow - VipMismatchGrace;
            if ((holder.Keepalived.Since ?? DateTimeOffset.MinValue) < settled && master.Since < settled)
                problems.Add($"the virtual IP is on {holder.Name} but the PostgreSQL primary is {master.Node}: clients take an extra hop (the VIP should follow the primary within seconds)");
        }

        foreach (var node in nodes.Where(n => n.Alive != false && n.Pgbouncer.Target is not null && n.Pgbouncer.Target != master.Node.Value))
            problems.Add($"pgbouncer on {node.Name} points at {node.Pgbouncer.Target}, not the registered master {master.Node}");
    }

    /// <summary>What the local syncthing knows: connected devices and each device's completion per folder. Null when not asked or unreachable.</summary>
    private async Task<SyncthingView?> ProbeSyncthingAsync(Dictionary<string, SyncthingDeviceRecord> devices, IReadOnlyList<string> folders,
        List<string> problems, CancellationToken cancellationToken)
    {
        if (syncthing is not { } local || !devices.ContainsKey(local.Self.Value)) return null;
        try
        {
            var connections = await local.Api.ConnectionsAsync(cancellationToken);
            var completion = new Dictionary<(string Node, string Folder), double?>();
            foreach (var (name, device) in devices)
            {
                var isSelf = name == local.Self.Value;
                if (!isSelf && !connections.ContainsKey(device.DeviceId.Value)) continue; // not configured here (yet)
                foreach (var folder in folders)
                {
                    try
                    {
                        completion[(name, folder)] = (await local.Api.CompletionAsync(folder, isSelf ? null : device.DeviceId.Value, cancellationToken)).Shown;
                    }
                    catch (SyncthingApiException)
                    {
                        completion[(name, folder)] = null; // e.g. the folder is not configured here yet
                    }
                }
            }

            return new SyncthingView(connections, completion);
        }
        catch (SyncthingApiException e)
        {
            problems.Add($"syncthing on {local.Self} could not be asked: {e.Message}");
            return null;
        }
    }

    private SyncthingStatus SyncthingFor(string name, SyncthingDeviceRecord? device, IReadOnlyList<string> folders, SyncthingView? view)
    {
        var isSelf = syncthing is { } local && local.Self.Value == name;
        bool? connected = view is null || device is null || isSelf ? null : view.Connections.GetValueOrDefault(device.DeviceId.Value);
        var completion = folders.ToDictionary(f => f, f => view is not null && view.Completion.TryGetValue((name, f), out var c) ? c : null, StringComparer.Ordinal);
        return new SyncthingStatus(device?.DeviceId.Value, connected, completion);
    }

    private void DiagnoseSyncthing(List<NodeStatus> nodes, SyncthingView? view, List<string> problems)
    {
        if (!nodes.Any(n => n.Syncthing.DeviceId is not null)) return; // syncthing not bootstrapped anywhere
        foreach (var node in nodes.Where(n => n.Syncthing.DeviceId is null))
            problems.Add($"node {node.Name} has no syncthing device registered at '{keys.SyncthingDevicesPrefix}{node.Name}': its folders are not replicated");
        if (view is null) return;
        foreach (var node in nodes.Where(n => n.Syncthing.DeviceId is not null && n.Syncthing.Connected == false))
            problems.Add($"syncthing on {syncthing!.Value.Self} is not connected to {node.Name}: files are not being replicated to or from it");
    }

    /// <summary>What KV may not ask for: a folder this node refuses, a device record without a registered node.</summary>
    private void DiagnoseReplication(ClusterConfig? config, Dictionary<string, SyncthingDeviceRecord> devices, Dictionary<string, NodeRecord> nodes, List<string> problems)
    {
        if (config is not null && folderGuard is not null)
        {
            var where = syncthing is { } local ? $"on {local.Self}" : "on this node";
            foreach (var folder in config.ReplicatedFolders)
                if (folderGuard.Refusal(folder) is { } reason)
                    problems.Add($"'{keys.Config}': replicated folder '{folder.Id}' (path '{NodeName.Printable(folder.Path)}') is refused {where}: {reason}; syncthing there does not replicate it (a folder it already had keeps its last good configuration)");
        }

        foreach (var name in devices.Keys.Where(n => !nodes.ContainsKey(n)).Order(StringComparer.Ordinal))
            problems.Add($"'{keys.SyncthingDevicesPrefix}{name}' is not used: no node '{name}' is registered ('{keys.NodesPrefix}{name}' is missing or invalid), so no node's syncthing uses this device");
    }

    private sealed record SyncthingView(IReadOnlyDictionary<string, bool> Connections, IReadOnlyDictionary<(string Node, string Folder), double?> Completion);

    /// <summary>
    /// The PostgreSQL credentials the probes log in with. A token that may not read <c>secrets/</c> (the operator token
    /// under ACLs) is not a problem of the cluster: status then says that PostgreSQL was not probed, and why.
    /// </summary>
    private async Task<PostgresSecrets?> ReadSecretsAsync(List<string> problems, List<string> notes, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadOneAsync<PostgresSecrets>(keys.PostgresSecrets, problems, cancellationToken);
        }
        catch (ConsulRequestException e) when (e.StatusCode == 403)
        {
            if (probe is not null)
                notes.Add($"PostgreSQL roles and lag are shown as KV records them, not probed: this Consul token may not read '{keys.PostgresSecrets}' " +
                          "(the monitoring role's password); run status on a cluster node, or with a token that may read it");
            return null;
        }
    }

    private async Task<T?> ReadOneAsync<T>(string key, List<string> problems, CancellationToken cancellationToken) where T : class, IKvRecord
    {
        var entry = (await kv.GetAsync(key, _read, cancellationToken)).Value;
        if (entry is null) return null;
        if (KvJson.TryParse<T>(entry, out var record, out var error)) return record;
        problems.Add(error.ToString());
        return null;
    }

    private async Task<Dictionary<string, T>> ReadAllAsync<T>(string prefix, List<string> problems, CancellationToken cancellationToken)
        where T : class, IKvRecord
    {
        var records = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var entry in (await kv.ListAsync(prefix, _read, cancellationToken)).Value)
        {
            var name = KvKeys.LastSegment(entry.Key, prefix);
            if (KvJson.TryParse<T>(entry, out var record, out var error)) records[name] = record;
            else problems.Add(error.ToString());
        }

        return records;
    }
}
