using HaManager.Cluster.Settings;
using HaManager.Watchers.Processes;

namespace HaManager.Watchers.Services;

public sealed class SystemdServiceManager(ProcessRunner runner, TimeSpan commandTimeout) : IServiceManager
{
    /// <summary>`systemctl is-active`: a unit that is not running answers with exit 3, which is no failure to warn about.</summary>
    public async Task<bool> IsRunningAsync(string service, ServiceOptions options, CancellationToken cancellationToken = default) =>
        (await runner.RunAsync(["systemctl", "is-active", "--quiet", options.Unit], commandTimeout, cancellationToken, exitCodeIsAnswer: true)).Succeeded;

    public async Task<bool> StartAsync(string service, ServiceOptions options, CancellationToken cancellationToken = default)
    {
        if (await IsRunningAsync(service, options, cancellationToken)) return false;
        await RequireAsync(service, cancellationToken, "start", options.Unit);
        return true;
    }

    public Task StopAsync(string service, ServiceOptions options, CancellationToken cancellationToken = default) =>
        RequireAsync(service, cancellationToken, "stop", options.Unit);

    public async Task<bool> ReloadIfRunningAsync(string service, ServiceOptions options, CancellationToken cancellationToken = default)
    {
        if (!await IsRunningAsync(service, options, cancellationToken)) return false;
        await RequireAsync(service, cancellationToken, "reload", options.Unit);
        return true;
    }

    public Task RestartAsync(string service, ServiceOptions options, CancellationToken cancellationToken = default) =>
        RequireAsync(service, cancellationToken, "restart", options.Unit);

    public Task EnableAsync(string service, ServiceOptions options, CancellationToken cancellationToken = default) =>
        RequireAsync(service, cancellationToken, "enable", "--quiet", options.Unit);

    /// <summary>After a unit's drop-in changed.</summary>
    public Task DaemonReloadAsync(CancellationToken cancellationToken) => RequireAsync("systemd", cancellationToken, "daemon-reload");

    private async Task RequireAsync(string service, CancellationToken cancellationToken, params string[] arguments)
    {
        var result = await SystemctlAsync(cancellationToken, arguments);
        if (!result.Succeeded)
            throw new ServiceException($"systemctl {string.Join(' ', arguments)} for {service} failed (exit {result.ExitCode}): {result.OutputTail()}");
    }

    private Task<CommandResult> SystemctlAsync(CancellationToken cancellationToken, params string[] arguments) =>
        runner.RunAsync(["systemctl", .. arguments], commandTimeout, cancellationToken);
}
