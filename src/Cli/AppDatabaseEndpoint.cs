using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Cluster.Settings;

namespace HaManager.Cli;

/// <summary>
/// The application database as clients reach it: a pgbouncer (this node's, or the one on the virtual IP), the
/// database and user from KV <c>config</c>, the password from <c>secrets/postgres</c> (only when asked for: reading
/// it needs a token that may read <c>secrets/</c>, which the operator token may not). `db` and `drill` use it.
/// </summary>
public sealed record AppDatabaseEndpoint(string Host, int Port, string Database, string User, string? Password)
{
    /// <param name="withPassword">Read <c>secrets/postgres</c> too; without it <see cref="Password"/> is null and no secret is read.</param>
    public static async Task<AppDatabaseEndpoint> ReadAsync(IKvStore kv, KvKeys keys, HaManagerSettings settings, bool viaVip, CancellationToken cancellationToken,
        bool withPassword = true)
    {
        var config = KvJson.Parse<ClusterConfig>((await kv.GetAsync(keys.Config, null, cancellationToken)).Value
            ?? throw new InvalidOperationException($"no cluster config at '{keys.Config}' (not bootstrapped?)"));
        var host = viaVip ? config.VirtualIp.Address.ToString() : "127.0.0.1";
        var password = withPassword ? (await ReadSecretsAsync(kv, keys, cancellationToken)).AppPassword : null;
        return new AppDatabaseEndpoint(host, settings.Pgbouncer.ListenPort, config.AppDatabase.Value, config.AppUser.Value, password);
    }

    private static async Task<PostgresSecrets> ReadSecretsAsync(IKvStore kv, KvKeys keys, CancellationToken cancellationToken)
    {
        KvEntry? entry;
        try
        {
            entry = (await kv.GetAsync(keys.PostgresSecrets, null, cancellationToken)).Value;
        }
        catch (ConsulRequestException e)
        {
            throw new InvalidOperationException(
                $"cannot read '{keys.PostgresSecrets}' with this Consul token ({e.Message}): the password needs a token that may read '{keys.Prefix}secrets/' " +
                "(a node's token, e.g. run it on a cluster node as root, or the management token); the operator token may not", e);
        }

        return KvJson.Parse<PostgresSecrets>(entry ?? throw new InvalidOperationException($"no credentials at '{keys.PostgresSecrets}' (PostgreSQL not bootstrapped?)"));
    }

    /// <summary>Never printed: it carries the password.</summary>
    public override string ToString() => $"{User}@{Host}:{Port}/{Database}";
}
