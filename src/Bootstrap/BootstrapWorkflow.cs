using System.Net;
using HaManager.Bootstrap.Consul;
using HaManager.Cluster.Security;
using HaManager.Bootstrap.Postgres;
using HaManager.Bootstrap.Postgres.Debian;
using HaManager.Bootstrap.Syncthing;
using HaManager.Watchers;
using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Locks;
using HaManager.Cluster.Model;
using HaManager.Cluster.Settings;
using HaManager.Templates;
using HaManager.Watchers.Engine;
using HaManager.Watchers.Files;
using HaManager.Watchers.Keepalived;
using HaManager.Watchers.Processes;
using HaManager.Watchers.Services;
using Serilog;

namespace HaManager.Bootstrap;

/// <summary>
/// `hamanager bootstrap`: initialize a new cluster or join an existing one, step by step. Every step
/// checks what is already in place, so a re-run converges without duplicating anything. Nothing is
/// written before the inputs and the join target have been checked.
/// </summary>
/// <param name="consul">The local Consul agent's endpoint (address, token, TLS), as --consul, Consul's environment and the settings resolve it.</param>
public sealed class BootstrapWorkflow(
    HaManagerSettings settings,
    ConsulClientOptions consul,
    IServiceManager serviceManager,
    ProcessRunner runner,
    BootstrapProgress progress,
    ILogger logger)
{
    /// <summary>Whatever bootstrap starts is also enabled: the node comes back by itself after a reboot.</summary>
    private readonly IServiceManager services = new Systemd.EnablingServiceManager(serviceManager);
    private static readonly TimeSpan LockTtl = TimeSpan.FromSeconds(15);
    private readonly KvKeys _keys = new(settings.Consul.KvPrefix);
    private readonly NodeName _node = NodeName.Parse(settings.Node.Name);
    private readonly IPAddress _address = IpAddresses.Parse(settings.Node.Address);

    /// <summary>The first node's Consul security: credentials before Consul starts, ACLs and trust after.</summary>
    private ConsulInitSecurity InitSecurity => new(settings.Consul, _keys, _node, _address, progress);

    public async Task RunAsync(BootstrapRequest request, CancellationToken cancellationToken)
    {
        progress.Step($"Checking arguments for node {_node} ({_address})");
        var join = request.Join.Select(ParseJoinAddress).ToList();
        Cidr? virtualIp = null;
        if (request.VirtualIp is not null)
        {
            if (!Cidr.TryParse(request.VirtualIp, out virtualIp, out var vipError)) throw new BootstrapException($"--virtual-ip: {vipError}", invalidInput: true);
        }
        else if (request.Initializing)
        {
            throw new BootstrapException("--virtual-ip is required to initialize a new cluster (e.g. --virtual-ip 10.0.0.100/24); to join an existing cluster pass --join ADDRESS", invalidInput: true);
        }

        var marker = BootstrapMarker.Read(settings.Paths.StateDir);
        var mode = request.Initializing ? "init" : "join";
        if (marker is not null && marker.Mode != mode)
            throw new BootstrapException($"this node was bootstrapped with mode '{marker.Mode}' (see {Path.Combine(settings.Paths.StateDir, BootstrapMarker.FileName)}); re-run it the same way", invalidInput: true);
        // Before anything is written: a node.address that no interface carries fails here, not after Consul started.
        var vipInterface = KeepalivedWatcherOptions.FromSettings(settings).Interface.Value;
        progress.Result((request.Initializing ? $"initializing a new cluster with virtual IP {virtualIp}" : $"joining via {string.Join(", ", join.Select(j => j.Uri.Authority))}")
            + $"; keepalived interface {vipInterface}");

        var secretFiles = ConsulSecretFiles.Of(settings.Consul);
        ConsulCredentials credentials;
        if (request.Initializing)
        {
            progress.Step($"Preparing this node's Consul credentials (TLS, gossip key, ACL tokens) in {settings.Consul.SecretsDir}");
            (credentials, var summary) = await InitSecurity.PrepareAsync(cancellationToken);
            progress.Result(summary);
        }
        else if (ConsulCredentials.Load(secretFiles) is { } stored)
        {
            // A re-run: this node redeemed its join token before; it never needs another.
            credentials = stored;
            virtualIp ??= marker is null ? null : Cidr.TryParse(marker.VirtualIp, out var markedVip, out _) ? markedVip : null;
        }
        else
        {
            if (request.JoinTokenFile is null)
                throw new BootstrapException($"joining needs --join-token-file FILE: on a member, run `hamanager join-token create --node {_node} --address {_address} > {_node}.token`, " +
                    "copy the file here (it is a secret), and pass it", invalidInput: true);
            var secret = JoinRedemption.ReadSecret(request.JoinTokenFile);
            progress.Step($"Contacting the existing cluster and redeeming {secret}");
            var redemption = new JoinRedemption(settings.Consul, _keys, _node, _address, progress);
            (credentials, var storedVip) = await progress.WaitAsync($"Asking {string.Join(", ", join.Select(j => j.Uri.Authority))}",
                report => redemption.RedeemAsync(join.Select(j => j.Uri).ToList(), secret, virtualIp, report, cancellationToken));
            virtualIp ??= storedVip;
        }

        if (settings.Postgres.DropUntouchedMainCluster)
        {
            // After the join probe (a wrong --join changes nothing) and before Consul starts (a refusal leaves no agent running).
            progress.Step($"Checking Debian's PostgreSQL clusters for port {settings.Postgres.Port}");
            progress.Result(await new DefaultClusterStep(settings.Postgres, runner).RunAsync(cancellationToken));
        }

        progress.Step($"Writing the Consul server configuration {settings.Consul.ConfigFile}");
        Directory.CreateDirectory(settings.Consul.DataDir);
        var consulConfig = ConsulServerConfig.Render(_node, _address, settings.Consul, join.Select(j => j.Address).ToList(), credentials);
        // 0600: it holds the gossip key and the agent's token.
        var written = await AtomicFile.WriteAsync(settings.Consul.ConfigFile, consulConfig, AtomicFile.PrivateMode, cancellationToken: cancellationToken);
        progress.Result(written.Changed ? "written" : "already up to date");

        progress.Step("Starting Consul");
        if (await services.IsRunningAsync("consul", settings.Consul.Service, cancellationToken))
        {
            if (written.Changed) await services.RestartAsync("consul", settings.Consul.Service, cancellationToken);
            progress.Result(written.Changed ? "restarted with the new configuration" : "already running");
        }
        else
        {
            await services.StartAsync("consul", settings.Consul.Service, cancellationToken);
            progress.Result("started");
        }

        // Bootstrap acts with this node's own tokens, whatever CONSUL_HTTP_TOKEN the shell holds.
        var nodeConsul = consul with { Token = credentials.NodeToken };
        var waitingFor = request.Initializing ? "Waiting for a Consul leader" : "Waiting until this node is a Consul voter";
        progress.Step(waitingFor);
        string leader;
        using (var agent = new ConsulClient(nodeConsul))
            leader = await progress.WaitAsync(waitingFor, report => WaitForRaftAsync(agent, voter: !request.Initializing, report, cancellationToken));
        progress.Result($"leader {leader}");

        // The first node writes what only the management token may (config, secrets/postgres); a joining node only its own records.
        var actingConsul = request.Initializing
            ? nodeConsul with { Token = await InitSecurity
                .SecureAsync(nodeConsul, credentials, TimeSpan.FromSeconds(settings.Consul.JoinTimeoutSeconds), cancellationToken) }
            : nodeConsul;
        using var local = new ConsulClient(actingConsul);
        if (virtualIp is null)
        {
            var stored = (await local.GetAsync(_keys.Config, null, cancellationToken)).Value
                ?? throw new BootstrapException($"'{_keys.Config}' is missing; re-run bootstrap on the first node");
            virtualIp = KvJson.Parse<ClusterConfig>(stored).VirtualIp;
        }

        if (request.Initializing)
        {
            progress.Step($"Storing the cluster config at {_keys.Config}");
            progress.Result(await StoreClusterConfigAsync(local, virtualIp!, cancellationToken));
        }

        await new BootstrapMarker(mode, request.Join, virtualIp!.ToString()).WriteAsync(settings.Paths.StateDir, cancellationToken);

        progress.Step($"Taking the bootstrap lock {_keys.BootstrapLock}");
        var timeout = TimeSpan.FromSeconds(settings.Consul.JoinTimeoutSeconds);
        await using (var bootstrapLock = await ConsulLock.AcquireAsync(local, _keys.BootstrapLock, _node.Value, LockTtl, timeout, logger, cancellationToken))
        {
            progress.Result($"held by session {bootstrapLock.SessionId}");
            // Every step below needs the lock: if it is lost, another node may be choosing priorities and node ids now.
            await UnderLock.RunAsync(bootstrapLock, progress, async token =>
            {
                var registration = new NodeRegistration(local, _keys, _node, _address);
                progress.Step($"Registering node {_node}");
                progress.Result(await registration.RegisterNodeAsync(token));
                progress.Step("Choosing the keepalived priority");
                progress.Result(await registration.RegisterKeepalivedAsync(token));
                await new PostgresBootstrap(settings, _keys, services, runner, progress, logger).RunAsync(local, request.Initializing, token);
            }, cancellationToken);
        }

        var watchers = new WatcherSet(settings, _keys, local, services, runner, logger, local.HasLeaderAsync);
        progress.Step($"Rendering {settings.Keepalived.ConfigFile}");
        progress.Result(await RenderAsync(local, watchers.Keepalived, cancellationToken));
        progress.Step("Starting keepalived");
        progress.Result(await services.StartAsync("keepalived", settings.Keepalived.Service, cancellationToken) ? "started" : "already running");

        progress.Step($"Rendering {settings.Pgbouncer.ConfigFile}");
        var pgbouncerIni = await RenderReportAsync(local, watchers.Pgbouncer, cancellationToken);
        progress.Result(pgbouncerIni.Summary);
        progress.Step("Starting pgbouncer");
        progress.Result(await ListeningService.StartAsync(services, "pgbouncer", watchers.Pgbouncer.Service.Options, pgbouncerIni.Changed, cancellationToken));

        if (settings.Syncthing.Enabled) await new SyncthingBootstrap(settings, _keys, services, runner, progress, logger).RunAsync(local, cancellationToken);
        if (settings.ServiceManager == ServiceManagerKind.Systemd)
        {
            progress.Step("Enabling and starting hamanager-watch.service");
            var watch = await runner.RunAsync(["systemctl", "enable", "--now", "hamanager-watch.service"], TimeSpan.FromSeconds(60), cancellationToken);
            if (!watch.Succeeded) throw new BootstrapException($"systemctl enable --now hamanager-watch.service failed (exit {watch.ExitCode}): {watch.OutputTail(800)}");
            progress.Result("enabled and running");
        }

        if (request.Initializing)
        {
            progress.Step("Next: join the other nodes");
            progress.Result($"for each node, run here `hamanager join-token create --node NAME --address IP > NAME.token`, copy the file to that node (it is a secret, " +
                $"valid 1 h and once), and there run `hamanager bootstrap --join {_address} --join-token-file NAME.token`");
        }

        logger.Information("Bootstrap of {Node} finished", _node.Value);
    }

    private (Uri Uri, IPAddress Address) ParseJoinAddress(string text)
    {
        var (host, port) = text.LastIndexOf(':') is var colon && colon > 0 && text.Count(c => c == ':') == 1
            ? (text[..colon], text[(colon + 1)..])
            : (text, settings.Consul.HttpsPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (!IpAddresses.TryParse(host, out var address, out var error))
            throw new BootstrapException($"--join: {error} (give the IP address of any cluster member)", invalidInput: true);
        if (!int.TryParse(port, out var portNumber) || portNumber is < 1 or > 65535)
            throw new BootstrapException($"--join: '{port}' in '{text}' is not a port number", invalidInput: true);
        if (address.Equals(_address))
            throw new BootstrapException($"--join {text} is this node's own address; give the address of another member", invalidInput: true);
        var hostPart = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        return (new Uri($"https://{hostPart}:{portNumber}"), address);
    }

    private async Task<string> WaitForRaftAsync(ConsulClient consul, bool voter, IProgress<string> report, CancellationToken cancellationToken)
    {
        var timeout = TimeSpan.FromSeconds(settings.Consul.JoinTimeoutSeconds);
        var deadline = DateTime.UtcNow + timeout;
        var lastProblem = "no answer yet";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var leader = await consul.StatusLeaderAsync(cancellationToken);
                if (leader is null) lastProblem = "no leader elected yet";
                else if (!voter) return leader;
                else
                {
                    var servers = await consul.RaftConfigurationAsync(stale: true, cancellationToken);
                    var self = servers.FirstOrDefault(s => s.Node == _node.Value);
                    if (self is { Voter: true }) return leader;
                    lastProblem = self is null ? "not yet in the Raft configuration" : "in the Raft configuration as a non-voter (autopilot stabilization)";
                }
            }
            catch (ConsulException e)
            {
                lastProblem = e.Message;
            }

            report.Report(lastProblem);
            await Task.Delay(200, cancellationToken);
        }

        throw new BootstrapException($"Consul at {consul.Address} was not ready within {timeout.TotalSeconds:0} s: {lastProblem}; see the Consul log ({settings.Consul.Service.LogFile})");
    }

    private async Task<string> StoreClusterConfigAsync(ConsulClient consul, Cidr virtualIp, CancellationToken cancellationToken)
    {
        var config = new ClusterConfig { VirtualIp = virtualIp, CreatedBy = _node, CreatedAt = DateTimeOffset.UtcNow };
        if (await consul.PutAsync(_keys.Config, KvJson.Serialize(config), 0, cancellationToken)) return $"stored (virtual IP {virtualIp})";
        var existing = KvJson.Parse<ClusterConfig>((await consul.GetAsync(_keys.Config, null, cancellationToken)).Value
            ?? throw new BootstrapException($"'{_keys.Config}' vanished while it was being written; re-run bootstrap"));
        if (!existing.VirtualIp.Equals(virtualIp))
            throw new BootstrapException($"--virtual-ip {virtualIp} differs from the cluster's virtual IP {existing.VirtualIp} (at '{_keys.Config}')", invalidInput: true);
        return $"already stored by {existing.CreatedBy} at {existing.CreatedAt:u}";
    }

    private async Task<string> RenderAsync(ConsulClient consul, IServiceWatcher watcher, CancellationToken cancellationToken) =>
        (await RenderReportAsync(consul, watcher, cancellationToken)).Summary;

    private async Task<(string Summary, bool Changed)> RenderReportAsync(ConsulClient consul, IServiceWatcher watcher, CancellationToken cancellationToken)
    {
        var snapshot = await KvSnapshot.ReadAsync(consul, _keys, watcher.Prefixes, cancellationToken);
        var engine = new WatchEngine(consul, _keys, [watcher], services, runner, new WatchEngineOptions(), logger);
        var report = (await engine.RenderAllAsync(snapshot, cancellationToken)).Single();
        if (!report.Output.IsRenderable || report.Rejected) throw new BootstrapException(report.Sentence);
        return (report.Changed ? $"written ({report.Output.Summary})" : "already up to date", report.Changed);
    }
}
