using HaManager.Cluster.Settings;
using HaManager.Watchers.Services;

namespace HaManager.Tests.Support;

/// <summary>A service manager that records what it was asked to do; the service "runs" unless told otherwise.</summary>
public sealed class RecordingServiceManager : IServiceManager
{
    private readonly List<string> _calls = [];

    public bool Running { get; set; } = true;

    public IReadOnlyList<string> Calls
    {
        get { lock (_calls) return _calls.ToArray(); }
    }

    public int Reloads(string service) => Calls.Count(c => c == $"reload {service}");

    public Task<bool> IsRunningAsync(string service, ServiceOptions options, CancellationToken cancellationToken = default) => Task.FromResult(Running);

    public Task<bool> StartAsync(string service, ServiceOptions options, CancellationToken cancellationToken = default)
    {
        Record($"start {service}");
        var started = !Running;
        Running = true;
        return Task.FromResult(started);
    }

    public Task StopAsync(string service, ServiceOptions options, CancellationToken cancellationToken = default)
    {
        Record($"stop {service}");
        Running = false;
        return Task.CompletedTask;
    }

    public Task<bool> ReloadIfRunningAsync(string service, ServiceOptions options, CancellationToken cancellationToken = default)
    {
        if (Running) Record($"reload {service}");
        return Task.FromResult(Running);
    }

    public Task RestartAsync(string service, ServiceOptions options, CancellationToken cancellationToken = default)
    {
        Record($"restart {service}");
        return Task.CompletedTask;
    }

    private void Record(string call)
    {
        lock (_calls) _calls.Add(call);
    }
}
