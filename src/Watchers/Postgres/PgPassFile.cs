using System.Net;
using System.Text;
using HaManager.Cluster;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Watchers.Engine;

namespace HaManager.Watchers.Postgres;

/// <summary>
/// The libpq passfile (settings <c>postgres.pass_file</c>) that repmgr, repmgrd, pg_rewind, psql and the walreceiver
/// (primary_conninfo's passfile=) read the repmgr password from. Each line names one host of this cluster — every
/// registered node's address, this node's own address, loopback and the local socket directory — never <c>*</c>:
/// a conninfo that names any other host (a forged master record, a typo) finds no password to send.
/// Rendered by bootstrap and kept current by the repmgr watcher as nodes join and leave; 0600, owned by the database user.
/// </summary>
public sealed class PgPassFile(KvKeys keys, PostgresLocal local, IPAddress selfAddress)
{
    public static readonly UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>What the file is rendered from: the cluster config (the application user), the nodes and the secrets.</summary>
    public IReadOnlyList<string> Prefixes { get; } = [keys.Config, keys.NodesPrefix, keys.PostgresSecrets];

    /// <summary>The file, or null (with the reason) while the config or the secrets are missing; invalid values become errors.</summary>
    public RenderedFile? Render(KvSnapshot snapshot, List<KvValueError> errors, out string? notReady)
    {
        var config = snapshot.Parse<ClusterConfig>(keys.Config, errors);
        var secrets = snapshot.Parse<PostgresSecrets>(keys.PostgresSecrets, errors);
        var nodes = snapshot.ParseRegisteredNodes(errors);
        notReady = config is null ? $"no cluster config at '{keys.Config}'" : secrets is null ? $"no credentials at '{keys.PostgresSecrets}'" : null;
        if (config is null || secrets is null) return null;
        var hosts = Hosts(local.SocketDir, [selfAddress, .. nodes.Values.OrderBy(n => n.Name.Value, StringComparer.Ordinal).Select(n => n.Address)]);
        var content = Content(hosts, [("repmgr", secrets.RepmgrPassword), (config.AppUser.Value, secrets.AppPassword)]);
        return new RenderedFile(local.PassFile, content, Mode, Owner: local.OsUser);
    }

    /// <summary>The socket directory (a Unix-socket connection matches its directory, or "localhost" for libpq's default one), loopback, then the addresses, each once.</summary>
    public static IReadOnlyList<string> Hosts(string socketDir, IEnumerable<IPAddress> addresses) =>
        new[] { socketDir, "localhost", "127.0.0.1", "::1" }.Concat(addresses.Select(a => a.ToString())).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>One line per host and login: <c>host:*:*:user:password</c>, with ':' and '\' escaped as libpq requires (IPv6 addresses, odd paths).</summary>
    public static string Content(IReadOnlyList<string> hosts, IReadOnlyList<(string User, string Password)> logins)
    {
        // No ':' in the header: a line with fewer than five fields never matches, so it is inert even for a libpq without comment support.
        var text = new StringBuilder("# Rendered by hamanager from the registered nodes (one line per cluster host) - local edits are overwritten\n");
        foreach (var (user, password) in logins)
        {
            foreach (var host in hosts) text.Append(Escape(host)).Append(":*:*:").Append(Escape(user)).Append(':').Append(Escape(password)).Append('\n');
        }

        return text.ToString();
    }

    private static string Escape(string field) => field.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(":", "\\:", StringComparison.Ordinal);
}
