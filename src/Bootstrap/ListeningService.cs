using HaManager.Cluster.Settings;
using HaManager.Watchers.Services;

namespace HaManager.Bootstrap;

/// <summary>
/// Starting a service whose listening address bootstrap has just written. Debian enables and starts pgbouncer
/// when it is installed, with its own settings (127.0.0.1 only); a reload then cannot move it to the address
/// HaManager's file names (pgbouncer re-reads listen_addr only when it starts), so a service that was already
/// running with a file bootstrap changed is restarted.
/// </summary>
public static class ListeningService
{
    public static async Task<string> StartAsync(IServiceManager services, string service, ServiceOptions options, bool configWritten,
        CancellationToken cancellationToken)
    {
        if (await services.StartAsync(service, options, cancellationToken)) return "started";
        if (!configWritten) return "already running";
        await services.RestartAsync(service, options, cancellationToken);
        return "restarted: it ran with other settings (a reload does not change the address it listens on)";
    }
}
