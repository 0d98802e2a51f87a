using HaManager.Cluster.Security;
using HaManager.Cluster.Settings;
using HaManager.Watchers.Files;

namespace HaManager.Bootstrap.Consul;

/// <summary>
/// What a node needs to run its Consul agent in the secured cluster, as files under consul.secrets_dir (root only):
/// the gossip key, the cluster CA, its server certificate and key, its node token and its operations token. Written
/// once (at init, or from a redeemed join token) and read back on every later bootstrap, so a re-run never needs a
/// new join token.
/// </summary>
public sealed record ConsulCredentials(GossipKey GossipKey, string NodeToken, string AdminToken)
{
    public const string GossipKeyFileName = "gossip.key";

    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>The stored credentials, or null when any file is missing (this node never finished getting them).</summary>
    /// <exception cref="BootstrapException">A file is there but damaged.</exception>
    public static ConsulCredentials? Load(ConsulSecretFiles files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var gossipPath = Path.Combine(files.Directory, GossipKeyFileName);
        string[] required = [gossipPath, files.NodeToken, files.AdminToken, files.CaCertificate, files.ServerCertificate, files.ServerKey];
        if (!required.All(File.Exists)) return null;
        GossipKey gossip;
        try
        {
            gossip = GossipKey.Parse(File.ReadAllText(gossipPath));
        }
        catch (FormatException e)
        {
            throw new BootstrapException($"{gossipPath}: {e.Message}; restore it from another node's copy (same file)");
        }

        var node = ConsulSecretFiles.ReadToken(files.NodeToken) ?? throw new BootstrapException($"{files.NodeToken} is empty or unreadable");
        var admin = ConsulSecretFiles.ReadToken(files.AdminToken) ?? throw new BootstrapException($"{files.AdminToken} is empty or unreadable");
        return new ConsulCredentials(gossip, node, admin);
    }

    /// <summary>Writes every file (keys and tokens 0600, the directory 0700), atomically each, the tokens last.</summary>
    public async Task WriteAsync(ConsulSecretFiles files, string caCertificatePem, PemCertificate serverCertificate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        PrepareDirectory(files.Directory);
        PrepareDirectory(files.TlsDirectory);
        await AtomicFile.WriteAsync(files.CaCertificate, caCertificatePem, AtomicFile.DefaultMode, cancellationToken: cancellationToken);
        await PemFiles.WriteAsync(serverCertificate, files.ServerCertificate, files.ServerKey, cancellationToken: cancellationToken);
        await AtomicFile.WriteAsync(Path.Combine(files.Directory, GossipKeyFileName), GossipKey.Key + "\n", AtomicFile.PrivateMode, cancellationToken: cancellationToken);
        await AtomicFile.WriteAsync(files.AdminToken, AdminToken + "\n", AtomicFile.PrivateMode, cancellationToken: cancellationToken);
        // Last: Load treats a node without its node token as one that has not got its credentials yet.
        await AtomicFile.WriteAsync(files.NodeToken, NodeToken + "\n", AtomicFile.PrivateMode, cancellationToken: cancellationToken);
    }

    public static void PrepareDirectory(string path)
    {
        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, DirectoryMode);
    }

    public override string ToString() => "ConsulCredentials { GossipKey = (hidden), NodeToken = (hidden), AdminToken = (hidden) }";
}
