namespace HaManager.Cluster.Settings;

/// <summary>
/// The local syncthing that replicates the cluster's folders. Its REST API answers on loopback only;
/// the API key is generated at bootstrap and kept in <see cref="ApiKeyFile"/> (mode 0600).
/// </summary>
public sealed class SyncthingOptions
{
    public bool Enabled { get; set; } = true;
    public string Binary { get; set; } = "/usr/bin/syncthing";
    /// <summary>syncthing's --home: keys, config.xml and its database.</summary>
    public string Home { get; set; } = "/var/lib/hamanager/syncthing";
    /// <summary>The REST API/GUI address; must be a loopback address (the API key is the only other protection).</summary>
    public string ApiAddress { get; set; } = "127.0.0.1:8384";
    public string ApiKeyFile { get; set; } = "/var/lib/hamanager/syncthing-api-key";
    /// <summary>syncthing's sync protocol listens on node.address at this port; peers dial it.</summary>
    public int ListenPort { get; set; } = 22000;
    /// <summary>Prefix for every replicated folder path from the cluster config ("/" in production; a node's root in the lab).</summary>
    public string FolderRoot { get; set; } = "/";
    /// <summary>
    /// The only directories a replicated folder from the cluster config may be, or lie below (paths as in
    /// the cluster config, before <see cref="FolderRoot"/>). A folder anywhere else is refused on this node.
    /// </summary>
    public List<string> AllowedRoots { get; set; } = [.. DefaultAllowedRoots];

    /// <summary>The two default replicated folders (uploaded resources, installed plugins) and /srv/hamanager for further ones.</summary>
    public static IReadOnlyList<string> DefaultAllowedRoots { get; } = ["/opt/manager/resources", "/opt/mgmtworker/env/plugins", "/srv/hamanager"];
    /// <summary>How long bootstrap waits for syncthing's REST API after starting it.</summary>
    public int StartTimeoutSeconds { get; set; } = 60;
    public ServiceOptions Service { get; set; } = new() { Unit = "hamanager-syncthing.service" };
}
