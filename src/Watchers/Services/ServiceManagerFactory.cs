using HaManager.Cluster.Settings;
using HaManager.Watchers.Processes;
using Serilog;

namespace HaManager.Watchers.Services;

public static class ServiceManagerFactory
{
    public static IServiceManager Create(HaManagerSettings settings, ProcessRunner runner, ILogger logger) =>
        new RoutingServiceManager(
            new SystemdServiceManager(runner, TimeSpan.FromSeconds(settings.Watch.CommandTimeoutSeconds)),
            new ProcessServiceManager(logger),
            settings.ServiceManager);
}
