using System.Diagnostics;
using Serilog;

namespace HaManager.Watchers.Processes;

/// <summary>
/// Runs an external command to completion with a timeout, capturing its output. Arguments are passed
/// as a list (never through a shell), so no value can be interpreted as shell syntax.
/// </summary>
public class ProcessRunner(ILogger logger)
{
    public virtual async Task<CommandResult> RunAsync(
        IReadOnlyList<string> command,
        TimeSpan timeout,
        CancellationToken cancellationToken = default,
        IReadOnlyDictionary<string, string>? environment = null,
        string? standardInput = null)
    {
        ArgumentOutOfRangeException.ThrowIfZero(command.Count);
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        foreach (var argument in command.Skip(1)) start.ArgumentList.Add(argument);
        if (environment is not null)
        {
            foreach (var (name, value) in environment) start.Environment[name] = value;
        }

        var stopwatch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new IOException($"cannot run '{command[0]}': {e.Message}", e);
        }

        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        if (standardInput is not null) await process.StandardInput.WriteAsync(standardInput);
        process.StandardInput.Close();

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(timeoutSource.Token);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            throw new CommandTimeoutException(string.Join(' ', command), timeout);
        }

        var result = new CommandResult(command, process.ExitCode, await stdout, await stderr, stopwatch.Elapsed);
        if (!result.Succeeded)
        {
            logger.Warning("Command {Command} exited with {ExitCode} after {ElapsedMs} ms: {Output}",
                result.CommandLine, result.ExitCode, (int)result.Elapsed.TotalMilliseconds, result.OutputTail());
        }

        return result;
    }
}
