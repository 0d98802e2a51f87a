using HaManager.Cluster.Settings;

namespace HaManager.Watchers.Services;

/// <summary>Sends each service to the manager its settings name (ServiceOptions.Manager), else to the global one.</summary>
public sealed class RoutingServiceManager(IServiceManager systemd, IServiceManager process, ServiceManagerKind global) : IServiceManager
{
    public Task<bool> IsRunningAsync(string service, ServiceOptions options, CancellationToken cancellationToken = default) =>
        For(options).IsRunningAsync(service, options, cancellationToken);

    public Task<bool> StartAsync(string service, ServiceOptions options, CancellationToken cancellationToken = default) =>
        For(options).StartAsync(service, options, cancellationToken);

    public Task StopAsync(string service, ServiceOptions options, CancellationToken cancellationToken = default) =>
        For(options).StopAsync(service, options, cancellationToken);

    public Task<bool> ReloadIfRunningAsync(string service, ServiceOptions options, CancellationToken cancellationToken = default) =>
        For(options).ReloadIfRunningAsync(service, options, cancellationToken);

    public Task RestartAsync(string service, ServiceOptions options, CancellationToken cancellationToken = default) =>
        For(options).RestartAsync(service, options, cancellationToken);

    public Task EnableAsync(string service, ServiceOptions options, CancellationToken cancellationToken = default) =>
        For(options).EnableAsync(service, options, cancellationToken);

    public bool IsSystemd(ServiceOptions options) => For(options) == systemd;

    private IServiceManager For(ServiceOptions options) => options.Manager switch
    {
        "systemd" => systemd,
        "process" => process,
        _ => global == ServiceManagerKind.Systemd ? systemd : process,
    };
}
