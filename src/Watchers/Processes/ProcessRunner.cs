using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using CliWrap;
using Serilog;

namespace HaManager.Watchers.Processes;

/// <summary>
/// Runs an external command to completion with a timeout, capturing its output. Arguments are passed
/// as a list (never through a shell), so no value can be interpreted as shell syntax. Daemons are not
/// run here: <see cref="Services.ProcessServiceManager"/> starts those detached with their own PID files.
/// </summary>
public class ProcessRunner(ILogger logger)
{
    // The tools run here (systemctl, psql, repmgr, keepalived) read and write UTF-8; the daemon's console
    // settings must not change what reaches them. No BOM: a BOM would become part of the first stdin line.
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    /// <exception cref="CommandTimeoutException">The command outlived <paramref name="timeout"/>; its process tree was killed.</exception>
    /// <exception cref="IOException">The executable cannot be started.</exception>
    /// <param name="exitCodeIsAnswer">A query whose non-zero exit is an answer, not a failure (`systemctl is-active`
    /// says "inactive" with 3): logged at debug level instead of as a warning.</param>
    public virtual async Task<CommandResult> RunAsync(
        IReadOnlyList<string> command,
        TimeSpan timeout,
        CancellationToken cancellationToken = default,
        IReadOnlyDictionary<string, string>? environment = null,
        string? standardInput = null,
        bool exitCodeIsAnswer = false)
    {
        ArgumentOutOfRangeException.ThrowIfZero(command.Count);
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var cli = Cli.Wrap(command[0])
            .WithArguments(command.Skip(1))
            .WithWorkingDirectory("/")
            .WithEnvironmentVariables(variables =>
            {
                // Added to the inherited environment, as systemd and the lab set it, minus the credentials no tool needs
                // (ChildEnvironment: a null value removes the variable); nothing else is injected.
                foreach (var name in ChildEnvironment.ToRemove(environment)) variables.Set(name, null);
                foreach (var (name, value) in environment ?? new Dictionary<string, string>()) variables.Set(name, value);
            })
            // Without input the child still gets a closed pipe, so a tool that reads stdin sees EOF instead of hanging.
            .WithStandardInputPipe(standardInput is null ? PipeSource.Null : PipeSource.FromString(standardInput, Utf8))
            .WithStandardOutputPipe(PipeTarget.ToStringBuilder(stdout, Utf8))
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(stderr, Utf8))
            .WithValidation(CommandResultValidation.None);

        var stopwatch = Stopwatch.StartNew();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        int exitCode;
        try
        {
            // Cancelling this token makes CliWrap kill the whole process tree and wait for the pipes before it throws,
            // so the builders are complete and nothing the command started is left behind.
            exitCode = (await cli.ExecuteAsync(deadline.Token)).ExitCode;
        }
        catch (Exception e) when (e is Win32Exception || e.InnerException is Win32Exception)
        {
            throw new IOException($"cannot run '{command[0]}': {(e.InnerException ?? e).Message}", e);
        }
        catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException($"'{string.Join(' ', command)}' was cancelled and killed", e, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            var partial = new CommandResult(command, -1, stdout.ToString(), stderr.ToString(), stopwatch.Elapsed);
            logger.Warning("Command {Command} did not finish within {TimeoutMs} ms and was killed: {Output}",
                partial.CommandLine, (int)timeout.TotalMilliseconds, partial.OutputTail());
            throw new CommandTimeoutException(partial.CommandLine, timeout);
        }

        var result = new CommandResult(command, exitCode, stdout.ToString(), stderr.ToString(), stopwatch.Elapsed);
        if (!result.Succeeded)
        {
            logger.Write(exitCodeIsAnswer ? Serilog.Events.LogEventLevel.Debug : Serilog.Events.LogEventLevel.Warning,
                "Command {Command} exited with {ExitCode} after {ElapsedMs} ms: {Output}",
                result.CommandLine, result.ExitCode, (int)result.Elapsed.TotalMilliseconds, result.OutputTail());
        }

        return result;
    }
}
