using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Cluster.Settings;
using HaManager.Watchers.Engine;
using HaManager.Watchers.Files;
using HaManager.Watchers.Processes;
using HaManager.Watchers.Services;
using HaManager.Watchers.Syncthing;
using Serilog;

namespace HaManager.Bootstrap.Syncthing;

/// <summary>
/// The syncthing part of bootstrap: a home with keys and a closed-off configuration, syncthing started,
/// this node's device registered under <c>syncthing/devices/&lt;node&gt;</c>, and the known peers and
/// replicated folders configured once (the watcher keeps them in step from then on).
/// </summary>
public sealed class SyncthingBootstrap(
    HaManagerSettings settings, KvKeys keys, IServiceManager services, ProcessRunner runner, BootstrapProgress progress, ILogger logger)
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromMinutes(2);
    private readonly NodeName _node = NodeName.Parse(settings.Node.Name);
    private readonly string _configFile = Path.Combine(settings.Syncthing.Home, "config.xml");

    public async Task RunAsync(IKvStore kv, CancellationToken cancellationToken)
    {
        var options = settings.Syncthing;
        progress.Step($"Preparing the syncthing home {options.Home}");
        var generated = await GenerateHomeAsync(cancellationToken);
        var deviceId = await ReadDeviceIdAsync(cancellationToken);
        var apiKey = await EnsureApiKeyAsync(cancellationToken);
        var listen = SyncthingLocal.ListenAddress(settings);
        var edited = SyncthingHomeConfig.Apply(await File.ReadAllTextAsync(_configFile, cancellationToken), deviceId, _node, listen, options.ApiAddress, apiKey);
        if (edited is not null) await AtomicFile.WriteAsync(_configFile, edited, AtomicFile.PrivateMode, cancellationToken: cancellationToken);
        progress.Result($"{(generated ? "generated" : "kept")} device {deviceId}; {(edited is null ? "config already closed off" : "configured")}: API on {options.ApiAddress} only (key in {options.ApiKeyFile}), listening on {listen}, discovery/relays/NAT/reporting/upgrades off");

        progress.Step("Starting syncthing");
        var service = SyncthingLocal.Service(settings);
        if (await services.IsRunningAsync(service.Name, service.Options, cancellationToken))
        {
            // syncthing reads config.xml only at start; the REST API cannot change the GUI or listen address of a running one reliably.
            if (edited is not null) await services.RestartAsync(service.Name, service.Options, cancellationToken);
            progress.Result(edited is not null ? "restarted with the new configuration" : "already running");
        }
        else
        {
            await services.StartAsync(service.Name, service.Options, cancellationToken);
            progress.Result("started");
        }

        using var api = SyncthingApi.FromSettings(settings);
        progress.Step($"Waiting for syncthing's REST API on {options.ApiAddress}");
        // Under systemd its output goes to the journal, not to the log file the process service manager would write.
        var log = services.IsSystemd(service.Options) ? $"journalctl -u {service.Options.Unit}" : service.Options.LogFile;
        var reported = await WaitForApiAsync(api, log, cancellationToken);
        if (reported != deviceId.Value)
            throw new BootstrapException($"syncthing on {options.ApiAddress} reports device {reported}, but {options.Home} holds {deviceId}: another syncthing owns that address");
        progress.Result("answering");

        progress.Step($"Registering this node's syncthing device at '{keys.SyncthingDevice(_node)}'");
        progress.Result(await RegisterAsync(kv, deviceId, listen, cancellationToken));

        progress.Step("Sharing the replicated folders with the registered nodes");
        var reconciler = new SyncthingReconciler(api, keys, _node, f => SyncthingLocal.FolderPath(settings, f), logger);
        var snapshot = await KvSnapshot.ReadAsync(kv, keys, reconciler.Prefixes, cancellationToken);
        var errors = new List<KvValueError>();
        var desired = reconciler.ReadDesired(snapshot, errors, out var notReady)
            ?? throw new BootstrapException(errors.Count > 0 ? $"invalid syncthing data in KV: {string.Join("; ", errors)}" : $"cannot configure syncthing yet: {notReady}");
        var changes = await reconciler.ApplyAsync(desired, cancellationToken);
        progress.Result($"{changes ?? "already configured"} (folders: {string.Join(", ", desired.Folders.Select(f => $"{f.Id}={f.LocalPath}"))}; peers: {(desired.Peers.Count == 0 ? "none yet" : string.Join(", ", desired.Peers.Select(p => p.Node)))})");
    }

    private async Task<bool> GenerateHomeAsync(CancellationToken cancellationToken)
    {
        if (File.Exists(_configFile)) return false;
        Directory.CreateDirectory(settings.Syncthing.Home, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var result = await runner.RunAsync([settings.Syncthing.Binary, "generate", $"--home={settings.Syncthing.Home}", "--no-default-folder", "--skip-port-probing"],
            ToolTimeout, cancellationToken);
        if (!result.Succeeded || !File.Exists(_configFile))
            throw new BootstrapException($"'{result.CommandLine}' failed ({result.ExitCode}): {result.OutputTail(800)}");
        return true;
    }

    private async Task<SyncthingDeviceId> ReadDeviceIdAsync(CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync([settings.Syncthing.Binary, "serve", $"--home={settings.Syncthing.Home}", "--device-id"], ToolTimeout, cancellationToken);
        if (!result.Succeeded) throw new BootstrapException($"'{result.CommandLine}' failed ({result.ExitCode}): {result.OutputTail(800)}");
        return SyncthingDeviceId.TryParse(result.StandardOutput.Trim(), out var id, out var error)
            ? id
            : throw new BootstrapException($"'{result.CommandLine}' printed no device ID: {error}");
    }

    private async Task<string> EnsureApiKeyAsync(CancellationToken cancellationToken)
    {
        var path = settings.Syncthing.ApiKeyFile;
        var existing = File.Exists(path) ? (await File.ReadAllTextAsync(path, cancellationToken)).Trim() : string.Empty;
        if (SyncthingLocal.IsUsableApiKey(existing)) return existing;
        var key = SyncthingLocal.GenerateApiKey();
        await AtomicFile.WriteAsync(path, key + "\n", AtomicFile.PrivateMode, cancellationToken: cancellationToken);
        return key;
    }

    private async Task<string> WaitForApiAsync(SyncthingApi api, string logHint, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(settings.Syncthing.StartTimeoutSeconds);
        while (true)
        {
            try
            {
                return await api.MyDeviceIdAsync(cancellationToken);
            }
            catch (SyncthingApiException e) when (DateTime.UtcNow < deadline)
            {
                logger.Debug("syncthing is not answering yet: {Reason}", e.Message);
                await Task.Delay(250, cancellationToken);
            }
            catch (SyncthingApiException e)
            {
                throw new BootstrapException($"syncthing did not answer within {settings.Syncthing.StartTimeoutSeconds} s: {e.Message}; see {logHint}");
            }
        }
    }

    private async Task<string> RegisterAsync(IKvStore kv, SyncthingDeviceId deviceId, SyncthingAddress listen, CancellationToken cancellationToken)
    {
        var key = keys.SyncthingDevice(_node);
        var entry = (await kv.GetAsync(key, null, cancellationToken)).Value;
        SyncthingDeviceRecord? existing = null;
        if (entry is not null && KvJson.TryParse(entry, out existing, out _) && existing.DeviceId == deviceId && existing.Address == listen)
            return $"already registered since {existing.RegisteredAt:u}";

        var record = new SyncthingDeviceRecord { DeviceId = deviceId, Address = listen, RegisteredAt = DateTimeOffset.UtcNow };
        if (!await kv.PutAsync(key, KvJson.Serialize(record), entry?.ModifyIndex ?? 0, cancellationToken))
            throw new BootstrapException($"'{key}' changed while registering (is another bootstrap of {_node} running?); re-run bootstrap");
        return entry is null ? $"registered {deviceId} at {listen}"
            : existing is null ? $"replaced the invalid value with {deviceId} at {listen}"
            : $"updated from {existing.DeviceId} at {existing.Address} to {deviceId} at {listen}";
    }
}
