using System.Net;
using HaManager.Api.Status;
using HaManager.Cluster.Model;

namespace HaManager.Tests.Api.Status;

internal sealed class FakeClusterProbe(Dictionary<string, bool> alive, Dictionary<string, PostgresProbeResult> byAddress) : IClusterProbe
{
    public Task<IReadOnlyDictionary<string, bool>> ConsulMembersAliveAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, bool>>(alive);

    public Task<IReadOnlyDictionary<string, bool>> RaftVotersAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, bool>>(alive.Keys.ToDictionary(n => n, _ => true));

    public Task<PostgresProbeResult> ProbePostgresAsync(IPAddress address, int port, PostgresSecrets secrets, CancellationToken cancellationToken) =>
        Task.FromResult(byAddress.GetValueOrDefault(address.ToString()) ?? PostgresProbeResult.Unreachable("no answer"));
}
