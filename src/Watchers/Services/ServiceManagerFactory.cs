using HaManager.Cluster.Settings;
using HaManager.Watchers.Processes;
using Serilog;

namespace HaManager.Watchers.Services;

public static class ServiceManagerFactory
{
    public static IServiceManager Create(HaManagerSettings settings, ProcessRunner runner, ILogger logger) =>
        settings.ServiceManager switch
        {
            ServiceManagerKind.Systemd => new SystemdServiceManager(runner, TimeSpan.FromSeconds(settings.Watch.CommandTimeoutSeconds)),
            ServiceManagerKind.Process => new ProcessServiceManager(logger),
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.ServiceManager, "unknown service manager"),
        };
}
