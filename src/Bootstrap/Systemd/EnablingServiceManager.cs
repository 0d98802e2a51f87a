using HaManager.Cluster.Settings;
using HaManager.Watchers.Services;

namespace HaManager.Bootstrap.Systemd;

/// <summary>
/// Bootstrap's view of the service manager: every service it starts is also enabled, so after a reboot
/// the node comes back on its own (systemd); the watcher only starts and reloads, it never enables.
/// </summary>
public sealed class EnablingServiceManager(IServiceManager inner) : IServiceManager
{
    public Task<bool> IsRunningAsync(string service, ServiceOptions options, CancellationToken cancellationToken = default) =>
        inner.IsRunningAsync(service, options, cancellationToken);

    public async Task<bool> StartAsync(string service, ServiceOptions options, CancellationToken cancellationToken = default)
    {
        var started = await inner.StartAsync(service, options, cancellationToken);
        await inner.EnableAsync(service, options, cancellationToken);
        return started;
    }

    public Task StopAsync(string service, ServiceOptions options, CancellationToken cancellationToken = default) =>
        inner.StopAsync(service, options, cancellationToken);

    public Task<bool> ReloadIfRunningAsync(string service, ServiceOptions options, CancellationToken cancellationToken = default) =>
        inner.ReloadIfRunningAsync(service, options, cancellationToken);

    public Task RestartAsync(string service, ServiceOptions options, CancellationToken cancellationToken = default) =>
        inner.RestartAsync(service, options, cancellationToken);

    public Task EnableAsync(string service, ServiceOptions options, CancellationToken cancellationToken = default) =>
        inner.EnableAsync(service, options, cancellationToken);

    public bool IsSystemd(ServiceOptions options) => inner.IsSystemd(options);
}
