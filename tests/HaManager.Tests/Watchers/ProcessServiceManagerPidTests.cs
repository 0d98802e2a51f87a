using HaManager.Cluster.Settings;
using HaManager.Tests.Support;
using HaManager.Watchers.Services;

namespace HaManager.Tests.Watchers;

/// <summary>The process manager signals only the service's own process, never whatever reused or was planted at its PID.</summary>
public sealed class ProcessServiceManagerPidTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly TestLogger _log = new();
    private readonly ProcessServiceManager _manager;

    public ProcessServiceManagerPidTests() => _manager = new ProcessServiceManager(_log.Logger);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task StopReloadIsRunning_PidFileNamingAnUnrelatedProcess_SendNoSignalAndTheProcessSurvives()
    {
        using var sleep = new SleepProcess();
        var options = Service(["/usr/sbin/keepalived", "-n"], sleep.Pid);

        (await _manager.IsRunningAsync("keepalived", options)).Should().BeFalse();
        (await _manager.ReloadIfRunningAsync("keepalived", options)).Should().BeFalse();
        await _manager.StopAsync("keepalived", options);

        sleep.HasExited.Should().BeFalse();
        sleep.PendingSignals().Should().Be("SigPnd:\t0000000000000000 ShdPnd:\t0000000000000000");
        _log.Messages.Should().Contain(m => m.Contains("Ignored the PID file of \"keepalived\"") && m.Contains("sent it no signal"));
    }

    [Fact]
    public async Task Stop_PidFileOfTheServicesOwnProcess_StopsIt()
    {
        using var sleep = new SleepProcess();
        var options = Service(["sleep", "60"], sleep.Pid);

        (await _manager.IsRunningAsync("sleeper", options)).Should().BeTrue();
        await _manager.StopAsync("sleeper", options);

        await sleep.WaitForExitAsync(TimeSpan.FromSeconds(10));
        File.Exists(options.PidFile).Should().BeFalse();
    }

    [Fact]
    public async Task IsRunning_ForkingServiceWithConfiguredExecutable_ChecksThatExecutableNotTheLauncher()
    {
        using var sleep = new SleepProcess();
        var options = Service(["/usr/lib/postgresql/15/bin/pg_ctl", "start"], sleep.Pid);
        options.Forking = true;

        (await _manager.IsRunningAsync("postgresql", options)).Should().BeFalse();
        options.Executable = "sleep";
        (await _manager.IsRunningAsync("postgresql", options)).Should().BeTrue();
    }

    private ServiceOptions Service(List<string> start, int pid)
    {
        var pidFile = _dir.File("service.pid");
        File.WriteAllText(pidFile, pid + "\n");
        return new ServiceOptions { Start = start, PidFile = pidFile, StopTimeoutSeconds = 5 };
    }
}
