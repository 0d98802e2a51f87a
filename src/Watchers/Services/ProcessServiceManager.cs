using System.Diagnostics;
using System.Globalization;
using HaManager.Cluster.Settings;
using HaManager.Watchers.Files;
using HaManager.Watchers.Processes;
using Serilog;

namespace HaManager.Watchers.Services;

/// <summary>
/// A minimal service manager for places without systemd (the network-namespace lab): starts the
/// configured command detached, in its own session, with stdin from /dev/null and output appended
/// to its log file (a daemon holding the caller's pipes would hang whoever reads them), and
/// controls it through the PID file it records.
/// </summary>
public sealed class ProcessServiceManager(ILogger logger) : IServiceManager
{
    private static readonly TimeSpan EarlyExitWindow = TimeSpan.FromMilliseconds(400);

    public Task<bool> IsRunningAsync(string service, ServiceOptions options, CancellationToken cancellationToken = default) =>
        Task.FromResult(Check(service, options).IsTrusted);

    public async Task<bool> StartAsync(string service, ServiceOptions options, CancellationToken cancellationToken = default)
    {
        if (await IsRunningAsync(service, options, cancellationToken)) return false;

        var logFile = options.LogFile.Length > 0 ? options.LogFile : Path.ChangeExtension(options.PidFile, ".log");
        Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
        Directory.CreateDirectory(Path.GetDirectoryName(options.PidFile)!);

        // "$@" keeps every argument intact: the command never passes through shell word splitting.
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = "/" };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec setsid \"$@\" </dev/null >>\"$HAMANAGER_SERVICE_LOG\" 2>&1");
        start.ArgumentList.Add("sh");
        foreach (var word in WithUser(options)) start.ArgumentList.Add(word);
        start.Environment["HAMANAGER_SERVICE_LOG"] = logFile;
        // A daemon keeps its environment for its whole life (and a postmaster hands it to every backend): no credentials.
        ChildEnvironment.Scrub(start.Environment);

        using var process = Process.Start(start) ?? throw new ServiceException($"could not start {service}");
        if (options.Forking) return await WaitForForkingStartAsync(service, options, process, logFile, cancellationToken);
        var pid = process.Id;
        await AtomicFile.WriteAsync(options.PidFile, pid.ToString(CultureInfo.InvariantCulture) + "\n", cancellationToken: cancellationToken);

        using var window = new CancellationTokenSource(EarlyExitWindow);
        try
        {
            await process.WaitForExitAsync(window.Token);
            File.Delete(options.PidFile);
            throw new ServiceException($"{service} exited with code {process.ExitCode} right after starting; last lines of {logFile}:\n{Tail(logFile)}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            logger.Information("Started {Service} (pid {Pid}), output in {LogFile}", service, pid, logFile);
            return true;
        }
    }

    public async Task StopAsync(string service, ServiceOptions options, CancellationToken cancellationToken = default)
    {
        if (Check(service, options).Process is not { } process)
        {
            TryDeletePidFile(options);
            return;
        }

        Posix.Signal(process, Posix.SignalNumber(options.StopSignal));
        var deadline = DateTime.UtcNow.AddSeconds(options.StopTimeoutSeconds);
        while (Posix.IsSameProcess(process) && DateTime.UtcNow < deadline) await Task.Delay(50, cancellationToken);
        if (Posix.Signal(process, Posix.SigKill))
        {
            logger.Warning("{Service} (pid {Pid}) ignored SIG{Signal} for {Seconds} s; sent SIGKILL", service, process.Pid, options.StopSignal, options.StopTimeoutSeconds);
            while (Posix.IsSameProcess(process)) await Task.Delay(20, cancellationToken);
        }

        TryDeletePidFile(options);
        logger.Information("Stopped {Service} (pid {Pid})", service, process.Pid);
    }

    public Task<bool> ReloadIfRunningAsync(string service, ServiceOptions options, CancellationToken cancellationToken = default) =>
        Task.FromResult(Check(service, options).Process is { } process && Posix.Signal(process, Posix.SignalNumber(options.ReloadSignal)));

    public async Task RestartAsync(string service, ServiceOptions options, CancellationToken cancellationToken = default)
    {
        await StopAsync(service, options, cancellationToken);
        await StartAsync(service, options, cancellationToken);
    }

    /// <summary>Like systemd's Type=forking: the start command must exit 0, and the daemon writes the PID file.</summary>
    private async Task<bool> WaitForForkingStartAsync(string service, ServiceOptions options, Process process, string logFile, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(Math.Max(options.StopTimeoutSeconds, 120)));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new ServiceException($"starting {service} failed with exit code {process.ExitCode}; last lines of {logFile}:\n{Tail(logFile)}");
        var check = Check(service, options);
        if (check.Process is not { } daemon)
            throw new ServiceException($"{service} started but its PID file is not usable ({check.Reason}); last lines of {logFile}:\n{Tail(logFile)}");
        logger.Information("Started {Service} (pid {Pid}), output in {LogFile}", service, daemon.Pid, logFile);
        return true;
    }

    private static IEnumerable<string> WithUser(ServiceOptions options) =>
        options.User.Length == 0
            ? options.Start
            : ["setpriv", $"--reuid={options.User}", $"--regid={options.User}", "--init-groups", "--", .. options.Start];

    /// <summary>The PID file's verdict; an untrusted PID is logged, and callers never signal it.</summary>
    private PidFileCheck Check(string service, ServiceOptions options)
    {
        var check = PidFileValidator.Check(options.PidFile, ExpectedExecutable(options));
        if (check.State == PidFileState.Untrusted)
            logger.Warning("Ignored the PID file of {Service}: {Reason}; sent it no signal", service, check.Reason);
        return check;
    }

    /// <summary>The program the service's PID must run: the configured executable, else the start command's first word.</summary>
    internal static string? ExpectedExecutable(ServiceOptions options) =>
        options.Executable.Length > 0 ? Posix.ResolveCommand(options.Executable)
        : options.Start.Count > 0 ? Posix.ResolveCommand(options.Start[0])
        : null;

    private static void TryDeletePidFile(ServiceOptions options)
    {
        // A forking daemon owns its PID file (postmaster.pid lives in the data directory): leave it alone.
        if (!options.Forking) TryDelete(options.PidFile);
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { }
    }

    private static string Tail(string path)
    {
        try
        {
            var lines = File.ReadAllLines(path);
            return string.Join('\n', lines.TakeLast(15));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }
}
