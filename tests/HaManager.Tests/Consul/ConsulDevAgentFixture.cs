using System.Diagnostics;
using System.Text;
using HaManager.Cluster.Consul;

namespace HaManager.Tests.Consul;

/// <summary>
/// One real `consul agent -dev` on free loopback ports for the whole Consul test collection. A missing binary or an
/// agent that does not come up fails the tests: skipping would hide a broken lab.
/// </summary>
public sealed class ConsulDevAgentFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PollDelay = TimeSpan.FromMilliseconds(100);
    private const int StartAttempts = 3;

    private readonly OutputTail _output = new(60);
    private Process? _process;

    public Uri Address { get; private set; } = new("http://127.0.0.1:1");

    public int HttpPort { get; private set; }

    public int SerfLanPort { get; private set; }

    public int ServerPort { get; private set; }

    public string NodeName { get; } = $"hamanager-test-{Environment.ProcessId}";

    /// <summary>Last lines the agent printed, for diagnosing failures.</summary>
    public string OutputTail => _output.ToString();

    public ConsulClient CreateClient() => new(new ConsulClientOptions { Address = Address });

    public async Task InitializeAsync()
    {
        var binary = ConsulBinary.Locate();
        AppDomain.CurrentDomain.ProcessExit += KillOnHostExit;
        for (var attempt = 1; ; attempt++)
        {
            Start(binary);
            try
            {
                await WaitUntilReadyAsync(CancellationToken.None);
                return;
            }
            catch (AgentExitedException) when (attempt < StartAttempts)
            {
                // Most likely another process took one of the ports between probing and binding: try new ones.
                await StopAsync(CancellationToken.None);
            }
            catch
            {
                await StopAsync(CancellationToken.None);
                throw;
            }
        }
    }

    public async Task DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= KillOnHostExit;
        await StopAsync(CancellationToken.None);
    }

    private void Start(string binary)
    {
        var ports = FreePorts.Take(4);
        (HttpPort, SerfLanPort, ServerPort) = (ports[0], ports[1], ports[2]);
        Address = new Uri($"http://127.0.0.1:{HttpPort}");

        var info = new ProcessStartInfo(binary)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in new[]
                 {
                     "agent", "-dev", "-node=" + NodeName, "-bind=127.0.0.1", "-client=127.0.0.1",
                     $"-http-port={HttpPort}", $"-serf-lan-port={SerfLanPort}", $"-serf-wan-port={ports[3]}",
                     $"-server-port={ServerPort}", "-dns-port=-1", "-grpc-port=-1", "-log-level=info",

                     // Only loopback traffic is allowed: no update check or anonymous signature to HashiCorp.
                     "-hcl=disable_update_check = true", "-hcl=disable_anonymous_signature = true",
                 })
        {
            info.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => _output.Add(e.Data);
        process.ErrorDataReceived += (_, e) => _output.Add(e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    private async Task WaitUntilReadyAsync(CancellationToken ct)
    {
        using var client = new ConsulClient(new ConsulClientOptions { Address = Address, RequestTimeout = TimeSpan.FromSeconds(2) });
        var clock = Stopwatch.StartNew();
        var lastProblem = "no answer yet";
        while (clock.Elapsed < StartDeadline)
        {
            if (_process!.HasExited)
            {
                throw new AgentExitedException(
                    $"consul agent -dev exited with code {_process.ExitCode} before it was ready.{Environment.NewLine}{OutputTail}");
            }

            try
            {
                // A leader alone is not enough: KV writes fail until the leader has finished its setup.
                if (await client.StatusLeaderAsync(ct) is null)
                {
                    lastProblem = "no raft leader yet";
                }
                else if (await client.PutAsync("hamanager-test/ready", "1"u8.ToArray(), ct: ct))
                {
                    return;
                }
            }
            catch (ConsulException ex)
            {
                lastProblem = ex.Message;
            }

            await Task.Delay(PollDelay, ct);
        }

        throw new InvalidOperationException(
            $"consul agent -dev at {Address} was not ready within {StartDeadline.TotalSeconds} s ({lastProblem}).{Environment.NewLine}{OutputTail}");
    }

    private async Task StopAsync(CancellationToken ct)
    {
        var process = _process;
        _process = null;
        if (process is null)
        {
            return;
        }

        using (process)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(TimeSpan.FromSeconds(15));
            await process.WaitForExitAsync(deadline.Token);
        }
    }

    private void KillOnHostExit(object? sender, EventArgs e)
    {
        // Safety net for a test host torn down without running DisposeAsync.
        try
        {
            if (_process is { HasExited: false } process)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    private sealed class AgentExitedException(string message) : Exception(message);
}
