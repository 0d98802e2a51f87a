using HaManager.Cluster.Consul;
using HaManager.Watchers.Engine;
using HaManager.Watchers.Notify;
using HaManager.Watchers.Processes;
using HaManager.Watchers.Services;

namespace HaManager.Api.State;

/// <summary>The real local checks: the Consul agent's leader, each service through its service manager, the spool directory, the engine's invalid keys.</summary>
/// <param name="services">The services this node runs, with the commands its settings name (never anything from KV).</param>
public sealed class LocalNodeProbes(
    ConsulClient consul,
    IServiceManager manager,
    IReadOnlyList<ServiceTarget> services,
    string spoolDirectory,
    Func<int> invalidKeys) : INodeProbes
{
    public Task<bool?> ConsulHasLeaderAsync(CancellationToken cancellationToken) => consul.HasLeaderAsync(cancellationToken);

    public async Task<IReadOnlyList<ServiceCheck>> CheckServicesAsync(CancellationToken cancellationToken)
    {
        var checks = new List<ServiceCheck>();
        foreach (var service in services)
        {
            bool running;
            try
            {
                running = await manager.IsRunningAsync(service.Name, service.Options, cancellationToken);
            }
            catch (Exception e) when (e is ServiceException or CommandTimeoutException or IOException or UnauthorizedAccessException)
            {
                // A check that cannot tell is not a running service: /health must not vouch for it.
                running = false;
            }

            checks.Add(new ServiceCheck(service.Name, running));
        }

        return checks;
    }

    public int SpoolDepth() =>
        Directory.Exists(spoolDirectory) ? Directory.EnumerateFiles(spoolDirectory, "*" + NotifySpool.Extension).Count() : 0;

    public int InvalidKeys() => invalidKeys();
}
