using System.Text.Json.Nodes;
using HaManager.Watchers.Syncthing;

namespace HaManager.Tests.Syncthing;

/// <summary>
/// An in-memory syncthing REST API. The configuration is kept as JSON text, so every GET hands out a
/// fresh parse (as the real API does) and a PUT only counts if the caller sends the object back.
/// </summary>
internal sealed class FakeSyncthingApi(string selfDeviceId = SyncthingFixtures.Self) : ISyncthingApi
{
    /// <summary>A fresh syncthing 1.19.2 configuration after HaManager's bootstrap closed it off: only this device, no folders.</summary>
    public static string InitialConfigJson(string selfDeviceId) => """
        {
          "version": 36,
          "folders": [],
          "devices": [
            {"deviceID": "SELF", "name": "n1", "addresses": ["dynamic"], "compression": "metadata", "certName": "", "introducer": false,
             "skipIntroductionRemovals": false, "introducedBy": "", "paused": false, "allowedNetworks": [], "autoAcceptFolders": false,
             "maxSendKbps": 0, "maxRecvKbps": 0, "ignoredFolders": [], "maxRequestKiB": 0, "untrusted": false, "remoteGUIPort": 0}
          ],
          "gui": {"enabled": true, "address": "127.0.0.1:8384", "unixSocketPermissions": "", "user": "", "password": "", "authMode": "static",
                  "useTLS": false, "apiKey": "kFqE0s3vP8rN2wYb7tLm5cXa9dHgJ4uZ", "insecureAdminAccess": false, "theme": "default",
                  "debugging": false, "insecureSkipHostcheck": false, "insecureAllowFrameLoading": false},
          "ldap": {"address": "", "bindDN": "", "transport": "plain", "insecureSkipVerify": false, "searchBaseDN": "", "searchFilter": ""},
          "options": {"listenAddresses": ["tcp://10.231.0.11:22000"], "globalAnnounceServers": ["default"], "globalAnnounceEnabled": false,
                      "localAnnounceEnabled": false, "localAnnouncePort": 21027, "localAnnounceMCAddr": "[ff12::8384]:21027", "maxSendKbps": 0,
                      "maxRecvKbps": 0, "reconnectionIntervalS": 10, "relaysEnabled": false, "relayReconnectIntervalM": 10, "startBrowser": false,
                      "natEnabled": false, "natLeaseMinutes": 60, "natRenewalMinutes": 30, "natTimeoutSeconds": 10, "urAccepted": -1, "urSeen": 0,
                      "urUniqueId": "", "urURL": "https://data.syncthing.net/newdata", "urPostInsecurely": false, "urInitialDelayS": 1800,
                      "restartOnWakeup": true, "autoUpgradeIntervalH": 0, "upgradeToPreReleases": false, "keepTemporariesH": 24,
                      "cacheIgnoredFiles": false, "progressUpdateIntervalS": 5, "limitBandwidthInLan": false,
                      "minHomeDiskFree": {"value": 1, "unit": "%"}, "releasesURL": "https://upgrades.syncthing.net/meta.json",
                      "alwaysLocalNets": [], "overwriteRemoteDeviceNamesOnConnect": false, "tempIndexMinBlocks": 10,
                      "unackedNotificationIDs": ["authenticationUserAndPassword"], "trafficClass": 0, "setLowPriority": true,
                      "maxFolderConcurrency": 0, "crURL": "https://crash.syncthing.net/newcrash", "crashReportingEnabled": false,
                      "stunKeepaliveStartS": 180, "stunKeepaliveMinS": 20, "stunServers": ["default"], "databaseTuning": "auto",
                      "maxConcurrentIncomingRequestKiB": 0, "announceLANAddresses": true, "sendFullIndexOnUpgrade": false,
                      "featureFlags": [], "connectionLimitEnough": 0, "connectionLimitMax": 0, "insecureAllowOldTLSVersions": false},
          "remoteIgnoredDevices": [],
          "defaults": {
            "folder": {"id": "", "label": "", "filesystemType": "basic", "path": "~", "type": "sendreceive",
                       "devices": [{"deviceID": "SELF", "introducedBy": "", "encryptionPassword": ""}],
                       "rescanIntervalS": 3600, "fsWatcherEnabled": true, "fsWatcherDelayS": 10, "ignorePerms": false, "autoNormalize": true,
                       "minDiskFree": {"value": 1, "unit": "%"},
                       "versioning": {"type": "", "params": {}, "cleanupIntervalS": 3600, "fsPath": "", "fsType": "basic"},
                       "copiers": 0, "pullerMaxPendingKiB": 0, "hashers": 0, "order": "random", "ignoreDelete": false,
                       "scanProgressIntervalS": 0, "pullerPauseS": 0, "maxConflicts": 10, "disableSparseFiles": false,
                       "disableTempIndexes": false, "paused": false, "weakHashThresholdPct": 25, "markerName": ".stfolder",
                       "copyOwnershipFromParent": false, "modTimeWindowS": 0, "maxConcurrentWrites": 2, "disableFsync": false,
                       "blockPullOrder": "standard", "copyRangeMethod": "standard", "caseSensitiveFS": false, "junctionsAsDirs": false},
            "device": {"deviceID": "", "name": "", "addresses": ["dynamic"], "compression": "metadata", "certName": "", "introducer": false,
                       "skipIntroductionRemovals": false, "introducedBy": "", "paused": false, "allowedNetworks": [], "autoAcceptFolders": false,
                       "maxSendKbps": 0, "maxRecvKbps": 0, "ignoredFolders": [], "maxRequestKiB": 0, "untrusted": false, "remoteGUIPort": 0},
            "ignores": {"lines": []}
          }
        }
        """.Replace("SELF", selfDeviceId, StringComparison.Ordinal);

    public static JsonObject InitialConfig(string selfDeviceId = SyncthingFixtures.Self) => (JsonObject)JsonNode.Parse(InitialConfigJson(selfDeviceId))!;

    private readonly object _gate = new();
    private readonly List<string> _calls = [];
    private string _config = InitialConfigJson(selfDeviceId);

    /// <summary>Every call fails as if syncthing were not running.</summary>
    public bool Unreachable { get; set; }

    public int Puts { get; private set; }

    /// <summary>What /rest/system/connections reports: device ID → connected.</summary>
    public Dictionary<string, bool> Connections { get; } = new(StringComparer.Ordinal);

    /// <summary>(folder, device or null for this node) → completion; may throw <see cref="SyncthingApiException"/>.</summary>
    public Func<string, string?, FolderCompletion> Completion { get; set; } = (_, _) => SyncthingFixtures.Complete;

    /// <summary>Each call in order: "scan F", "connections", "config", "completion F D", "put".</summary>
    public IReadOnlyList<string> Calls
    {
        get { lock (_gate) return _calls.ToArray(); }
    }

    public IReadOnlyList<string> Scans => Calls.Where(c => c.StartsWith("scan ", StringComparison.Ordinal)).Select(c => c["scan ".Length..]).ToArray();

    /// <summary>The stored configuration, as the next GET would return it.</summary>
    public JsonObject Config
    {
        get { lock (_gate) return (JsonObject)JsonNode.Parse(_config)!; }
    }

    public string ConfigJson
    {
        get { lock (_gate) return _config; }
    }

    /// <summary>Adds (or replaces) a folder shared with the given devices, as if configured earlier.</summary>
    public void ShareFolder(string id, params string[] deviceIds)
    {
        var config = Config;
        var folders = (JsonArray)config["folders"]!;
        folders.OfType<JsonObject>().Where(f => (string?)f["id"] == id).ToList().ForEach(f => folders.Remove(f));
        folders.Add(new JsonObject
        {
            ["id"] = id, ["label"] = id, ["path"] = "/srv/" + id, ["type"] = "sendreceive",
            ["devices"] = new JsonArray(deviceIds.Select(d => (JsonNode)new JsonObject { ["deviceID"] = d, ["introducedBy"] = "", ["encryptionPassword"] = "" }).ToArray()),
        });
        lock (_gate) _config = config.ToJsonString();
    }

    public Task<string> MyDeviceIdAsync(CancellationToken cancellationToken) => Answer("status", () => selfDeviceId);

    public Task<JsonObject> GetConfigAsync(CancellationToken cancellationToken) => Answer("config", () => Config);

    public Task PutConfigAsync(JsonObject config, CancellationToken cancellationToken) => Answer("put", () =>
    {
        lock (_gate)
        {
            _config = config.ToJsonString();
            Puts++;
        }

        return true;
    });

    public Task<JsonObject> DefaultDeviceAsync(CancellationToken cancellationToken) => Answer("defaults/device", () => (JsonObject)Config["defaults"]!["device"]!.DeepClone());

    public Task<JsonObject> DefaultFolderAsync(CancellationToken cancellationToken) => Answer("defaults/folder", () => (JsonObject)Config["defaults"]!["folder"]!.DeepClone());

    public Task<IReadOnlyDictionary<string, bool>> ConnectionsAsync(CancellationToken cancellationToken) =>
        Answer("connections", () => (IReadOnlyDictionary<string, bool>)new Dictionary<string, bool>(Connections, StringComparer.Ordinal));

    public Task<FolderCompletion> CompletionAsync(string folder, string? device, CancellationToken cancellationToken) =>
        Answer($"completion {folder} {device ?? "self"}", () => Completion(folder, device));

    public Task ScanAsync(string folder, CancellationToken cancellationToken) => Answer($"scan {folder}", () => true);

    private Task<T> Answer<T>(string call, Func<T> answer)
    {
        lock (_gate) _calls.Add(call);
        if (Unreachable)
            return Task.FromException<T>(new SyncthingApiException("syncthing's REST API at http://127.0.0.1:8384/ did not answer (Connection refused (127.0.0.1:8384)); is syncthing running?"));
        try
        {
            return Task.FromResult(answer());
        }
        catch (SyncthingApiException e)
        {
            return Task.FromException<T>(e);
        }
    }
}
