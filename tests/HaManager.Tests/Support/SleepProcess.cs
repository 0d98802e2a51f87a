using System.Diagnostics;

namespace HaManager.Tests.Support;

/// <summary>An unrelated process (`sleep 60`) a test can point a PID file at; killed when the test ends.</summary>
public sealed class SleepProcess : IDisposable
{
    private readonly Process _process;

    public SleepProcess(string program = "sleep", params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { UseShellExecute = false };
        foreach (var argument in arguments.Length == 0 ? ["60"] : arguments) info.ArgumentList.Add(argument);
        _process = Process.Start(info)!;
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Signals sent but not yet delivered; a sent TERM or HUP shows here until the process dies of it.</summary>
    public string PendingSignals()
    {
        var lines = File.ReadAllLines($"/proc/{Pid}/status");
        return string.Join(' ', lines.Where(l => l.StartsWith("SigPnd:", StringComparison.Ordinal) || l.StartsWith("ShdPnd:", StringComparison.Ordinal)));
    }

    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(deadline.Token);
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill();
        _process.Dispose();
    }
}
