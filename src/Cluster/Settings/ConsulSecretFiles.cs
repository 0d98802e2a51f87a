namespace HaManager.Cluster.Settings;

/// <summary>
/// Where bootstrap keeps a node's Consul credentials (consul.secrets_dir, root only): the ACL tokens each kind of
/// caller uses and the TLS files of the agent. One place, so bootstrap, the CLI and the docs agree on the names.
/// </summary>
public sealed record ConsulSecretFiles(string Directory)
{
    public static ConsulSecretFiles Of(ConsulOptions consul) => new((consul ?? throw new ArgumentNullException(nameof(consul))).SecretsDir);

    /// <summary>This node's token (policy hamanager-node-NAME): the watcher, the hooks, bootstrap after a join.</summary>
    public string NodeToken => Path.Combine(Directory, "node.token");

    /// <summary>Operations (switchover, maintenance, config, node, drill) run as root on a node (policy hamanager-admin).</summary>
    public string AdminToken => Path.Combine(Directory, "admin.token");

    /// <summary>The management token, on the first node only: join tokens and ACL administration.</summary>
    public string ManagementToken => Path.Combine(Directory, "management.token");

    /// <summary>The read-only operator token (status, history) made at init, for workstations; on the first node only.</summary>
    public string OperatorToken => Path.Combine(Directory, "operator.token");

    public string TlsDirectory => Path.Combine(Directory, "tls");

    public string CaCertificate => Path.Combine(TlsDirectory, "ca.pem");

    public string ServerCertificate => Path.Combine(TlsDirectory, "server.pem");

    public string ServerKey => Path.Combine(TlsDirectory, "server-key.pem");

    /// <summary>The new cluster CA with its key, between its creation at init and its storage in KV (then deleted).</summary>
    public string PendingCertificateAuthority => Path.Combine(Directory, "ca-pending.json");

    /// <summary>The token in <paramref name="path"/>, or null when the file is missing, empty or not readable by this user.</summary>
    public static string? ReadToken(string path)
    {
        try
        {
            var text = File.ReadAllText(path).Trim();
            return text.Length == 0 ? null : text;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
