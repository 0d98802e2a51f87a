using System.Net;
using HaManager.Cluster.Model;

namespace HaManager.Api.Status;

/// <summary>Live facts that KV cannot tell: which Consul members are alive, what each PostgreSQL really is.</summary>
public interface IClusterProbe
{
    Task<IReadOnlyDictionary<string, bool>> ConsulMembersAliveAsync(CancellationToken cancellationToken);

    /// <summary>Consul Raft servers by node name: true for a voter. Empty when unknown.</summary>
    Task<IReadOnlyDictionary<string, bool>> RaftVotersAsync(CancellationToken cancellationToken);

    Task<PostgresProbeResult> ProbePostgresAsync(IPAddress address, int port, PostgresSecrets secrets, CancellationToken cancellationToken);
}
