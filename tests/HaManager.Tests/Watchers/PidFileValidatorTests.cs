using HaManager.Tests.Support;
using HaManager.Watchers.Processes;

namespace HaManager.Tests.Watchers;

public sealed class PidFileValidatorTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _sleep = Posix.ResolveCommand("sleep")!;
    private readonly string _keepalived = Posix.ResolveCommand("true")!;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Check_PidOfTheExpectedProgram_IsTrusted()
    {
        using var sleep = new SleepProcess();
        var pidFile = PidFile(sleep.Pid);

        var check = PidFileValidator.Check(pidFile, _sleep);

        check.State.Should().Be(PidFileState.Trusted);
        check.Process!.Value.Pid.Should().Be(sleep.Pid);
    }

    [Fact]
    public void Check_PidOfAnUnrelatedProcess_IsUntrustedAndSaysWhatRunsThere()
    {
        using var sleep = new SleepProcess();

        var check = PidFileValidator.Check(PidFile(sleep.Pid), _keepalived);

        check.State.Should().Be(PidFileState.Untrusted);
        check.Process.Should().BeNull();
        check.Reason.Should().Contain($"PID {sleep.Pid}").And.Contain(_sleep).And.Contain($"not {_keepalived}");
    }

    [Fact]
    public void Check_ProcessStartedAfterThePidFileWasWritten_IsUntrusted()
    {
        using var sleep = new SleepProcess();
        var pidFile = PidFile(sleep.Pid);
        File.SetLastWriteTimeUtc(pidFile, DateTime.UtcNow.AddHours(-1));

        var check = PidFileValidator.Check(pidFile, _sleep);

        check.State.Should().Be(PidFileState.Untrusted);
        check.Reason.Should().Contain("reused");
    }

    [Fact]
    public void Check_SymlinkedPidFile_IsUntrusted()
    {
        using var sleep = new SleepProcess();
        File.CreateSymbolicLink(_dir.File("linked.pid"), PidFile(sleep.Pid));

        PidFileValidator.Check(_dir.File("linked.pid"), _sleep).State.Should().Be(PidFileState.Untrusted);
    }

    [Fact]
    public void Check_NoFile_IsMissing()
    {
        PidFileValidator.Check(_dir.File("absent.pid"), _sleep).State.Should().Be(PidFileState.Missing);
    }

    [Fact]
    public async Task Check_PidOfAnExitedProcess_IsNotRunning()
    {
        using var sleep = new SleepProcess("sleep", "0");
        await sleep.WaitForExitAsync(TimeSpan.FromSeconds(10));

        PidFileValidator.Check(PidFile(sleep.Pid), _sleep).State.Should().Be(PidFileState.NotRunning);
    }

    [Fact]
    public void Check_PostgresStyleFileWithMoreLines_ReadsTheFirst()
    {
        using var sleep = new SleepProcess();
        File.WriteAllText(_dir.File("postmaster.pid"), $"{sleep.Pid}\n/var/lib/postgresql/15/main\n1700000000\n5432\n");

        PidFileValidator.Check(_dir.File("postmaster.pid"), _sleep).IsTrusted.Should().BeTrue();
    }

    [Fact]
    public void Check_ScriptRunByItsInterpreter_IsTrusted()
    {
        var script = _dir.File("daemon.sh");
        File.WriteAllText(script, "#!/bin/sh\nsleep 60\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using var daemon = new SleepProcess(script);
        var pidFile = PidFile(daemon.Pid);

        PidFileValidator.Check(pidFile, Posix.RealPath(script)).IsTrusted.Should().BeTrue();
        PidFileValidator.Check(pidFile, Posix.RealPath(_dir.File("daemon.sh"))!.Replace("daemon", "other", StringComparison.Ordinal)).IsTrusted.Should().BeFalse();
    }

    [Fact]
    public void ResolveCommand_BareName_IsWhatProcShowsForTheRunningProgram()
    {
        using var sleep = new SleepProcess();

        Posix.ResolveCommand("sleep").Should().Be(Posix.ExecutableOf(sleep.Pid));
        Posix.ResolveCommand("no-such-program-here").Should().BeNull();
    }

    private string PidFile(int pid)
    {
        var path = _dir.File($"{pid}.pid");
        File.WriteAllText(path, pid + "\n");
        return path;
    }
}
