using HaManager.Cluster.Settings;

namespace HaManager.Watchers.Services;

/// <summary>Starts, stops and reloads a local service: systemd in production, the process manager in the lab.</summary>
public interface IServiceManager
{
    Task<bool> IsRunningAsync(string service, ServiceOptions options, CancellationToken cancellationToken = default);

    /// <summary>Starts the service unless it already runs; true when it was started by this call.</summary>
    Task<bool> StartAsync(string service, ServiceOptions options, CancellationToken cancellationToken = default);

    Task StopAsync(string service, ServiceOptions options, CancellationToken cancellationToken = default);

    /// <summary>Asks a running service to re-read its configuration; false (and nothing done) when it is not running.</summary>
    Task<bool> ReloadIfRunningAsync(string service, ServiceOptions options, CancellationToken cancellationToken = default);

    Task RestartAsync(string service, ServiceOptions options, CancellationToken cancellationToken = default);

    /// <summary>Makes the service start at boot (systemd: enable the unit); nothing where there is no boot (the lab's process manager).</summary>
    Task EnableAsync(string service, ServiceOptions options, CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>Whether this service runs under systemd (so bootstrap writes its drop-in and enables it).</summary>
    bool IsSystemd(ServiceOptions options) => false;
}
