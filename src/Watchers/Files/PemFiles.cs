using HaManager.Cluster.Security;

namespace HaManager.Watchers.Files;

/// <summary>Writes a certificate and its key for a daemon (Consul's cert_file/key_file): the key 0600, both atomically.</summary>
public static class PemFiles
{
    /// <param name="owner">The user the daemon runs as, when not root; null keeps the writer's.</param>
    public static async Task<IReadOnlyList<FileWriteResult>> WriteAsync(
        PemCertificate pem, string certificatePath, string keyPath, string? owner = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pem);

        // The key first: a daemon reloading between the two writes then sees the old certificate with the new key
        // at worst, and fails its reload loudly, rather than serving a certificate whose key is not on disk.
        var key = await AtomicFile.WriteAsync(keyPath, pem.PrivateKeyPem, AtomicFile.PrivateMode, null, cancellationToken, owner);
        var certificate = await AtomicFile.WriteAsync(certificatePath, pem.CertificatePem, AtomicFile.DefaultMode, null, cancellationToken, owner);
        return [key, certificate];
    }
}
