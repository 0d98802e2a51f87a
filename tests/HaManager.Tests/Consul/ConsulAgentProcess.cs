using System.Diagnostics;
using System.Text;

namespace HaManager.Tests.Consul;

/// <summary>
/// One `consul agent` child process for a test fixture: output kept for error messages, killed with the test host,
/// started again on fresh ports when it exits early (another process may take a probed port before Consul binds it).
/// </summary>
internal sealed class ConsulAgentProcess : IAsyncDisposable
{
    private static readonly TimeSpan PollDelay = TimeSpan.FromMilliseconds(100);
    private readonly OutputTail _output = new(60);
    private readonly Process _process;

    private ConsulAgentProcess(IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(ConsulBinary.Locate())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        _process = new Process { StartInfo = info, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => _output.Add(e.Data);
        _process.ErrorDataReceived += (_, e) => _output.Add(e.Data);
        _process.Start();
        _process.StandardInput.Close();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        AppDomain.CurrentDomain.ProcessExit += KillOnHostExit;
    }

    /// <summary>Last lines the agent printed, for diagnosing failures.</summary>
    public string OutputTail => _output.ToString();

    /// <summary>
    /// Starts an agent with <paramref name="arguments"/> (called again for each attempt, so it can take new ports)
    /// and polls <paramref name="notReadyReason"/> (null = ready) until the deadline.
    /// </summary>
    public static async Task<ConsulAgentProcess> StartAsync(
        Func<IEnumerable<string>> arguments, Func<Task<string?>> notReadyReason, TimeSpan deadline, int attempts = 3)
    {
        for (var attempt = 1; ; attempt++)
        {
            var agent = new ConsulAgentProcess(arguments());
            try
            {
                await agent.WaitUntilReadyAsync(notReadyReason, deadline);
                return agent;
            }
            catch (AgentExitedException) when (attempt < attempts)
            {
                await agent.DisposeAsync();
            }
            catch
            {
                await agent.DisposeAsync();
                throw;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= KillOnHostExit;
        using (_process)
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await _process.WaitForExitAsync(deadline.Token);
        }
    }

    private async Task WaitUntilReadyAsync(Func<Task<string?>> notReadyReason, TimeSpan deadline)
    {
        var clock = Stopwatch.StartNew();
        var lastProblem = "no answer yet";
        while (clock.Elapsed < deadline)
        {
            if (_process.HasExited)
            {
                throw new AgentExitedException($"consul agent exited with code {_process.ExitCode} before it was ready.{Environment.NewLine}{OutputTail}");
            }

            if (await notReadyReason() is not { } problem)
            {
                return;
            }

            lastProblem = problem;
            await Task.Delay(PollDelay);
        }

        throw new InvalidOperationException($"consul agent was not ready within {deadline.TotalSeconds} s ({lastProblem}).{Environment.NewLine}{OutputTail}");
    }

    private void KillOnHostExit(object? sender, EventArgs e)
    {
        // Safety net for a test host torn down without running DisposeAsync.
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    private sealed class AgentExitedException(string message) : Exception(message);
}
