using System.Net;
using HaManager.Cluster.Model;

namespace HaManager.Templates.Views;

public sealed class PgHbaView(IEnumerable<(NodeName Name, IPAddress Address)> nodes, SqlIdentifier appDatabase, SqlIdentifier appUser)
{
    public IReadOnlyList<PgHbaNode> Nodes { get; } = nodes.OrderBy(n => n.Name.Value, StringComparer.Ordinal)
        .Select(n => new PgHbaNode(n.Name.Value, n.Address.ToString(), HostCidr(n.Address))).ToArray();

    public string AppDatabase { get; } = appDatabase.Value;
    public string AppUser { get; } = appUser.Value;

    /// <summary>The read-only role `status` probes with: the postgres database only, from registered nodes only.</summary>
    public string MonitorUser => PostgresSecrets.MonitorUser;

    private static string HostCidr(IPAddress address) =>
        $"{address}/{(address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 128 : 32)}";
}
