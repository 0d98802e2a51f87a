using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Cluster.Settings;

namespace HaManager.Cli;

/// <summary>
/// The application database as clients reach it: a pgbouncer (this node's, or the one on the virtual IP), the
/// database and user from KV <c>config</c>, the password from <c>secrets/postgres</c>. `db` and `drill` use it.
/// </summary>
public sealed record AppDatabaseEndpoint(string Host, int Port, string Database, string User, string Password)
{
    public static async Task<AppDatabaseEndpoint> ReadAsync(IKvStore kv, KvKeys keys, HaManagerSettings settings, bool viaVip, CancellationToken cancellationToken)
    {
        var config = KvJson.Parse<ClusterConfig>((await kv.GetAsync(keys.Config, null, cancellationToken)).Value
            ?? throw new InvalidOperationException($"no cluster config at '{keys.Config}' (not bootstrapped?)"));
        var secrets = KvJson.Parse<PostgresSecrets>((await kv.GetAsync(keys.PostgresSecrets, null, cancellationToken)).Value
            ?? throw new InvalidOperationException($"no credentials at '{keys.PostgresSecrets}' (PostgreSQL not bootstrapped?)"));
        var host = viaVip ? config.VirtualIp.Address.ToString() : "127.0.0.1";
        return new AppDatabaseEndpoint(host, settings.Pgbouncer.ListenPort, config.AppDatabase.Value, config.AppUser.Value, secrets.AppPassword);
    }

    /// <summary>Never printed: it carries the password.</summary>
    public override string ToString() => $"{User}@{Host}:{Port}/{Database}";
}
