using System.Diagnostics;
using System.Globalization;
using HaManager.Tests.Support;
using HaManager.Watchers.Processes;

namespace HaManager.Tests.Watchers.Processes;

public sealed class ProcessRunnerTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    private readonly TestLogger _log = new();

    private ProcessRunner Runner => new(_log.Logger);

    [Fact]
    public async Task RunAsync_CommandSucceeds_ReturnsExitCodeZeroAndOutput()
    {
        var result = await Runner.RunAsync(["/bin/sh", "-c", "printf 'out\\n'; printf 'err\\n' >&2"], Generous);

        result.ExitCode.Should().Be(0);
        result.Succeeded.Should().BeTrue();
        result.StandardOutput.Should().Be("out\n");
        result.StandardError.Should().Be("err\n");
        _log.Messages.Should().BeEmpty();
    }

    [Fact]
    public async Task RunAsync_CommandFails_ReturnsExitCodeAndLogsOutputTail()
    {
        var result = await Runner.RunAsync(["/bin/sh", "-c", "echo partial; echo 'no such cluster' >&2; exit 3"], Generous);

        result.ExitCode.Should().Be(3);
        result.Succeeded.Should().BeFalse();
        result.StandardOutput.Should().Be("partial\n");
        _log.Messages.Should().ContainSingle().Which.Should()
            .Match("Warning: Command \"/bin/sh -c *\" exited with 3 after * ms: \"no such cluster\npartial\"");
    }

    [Fact]
    public async Task RunAsync_ExitCodeIsAnAnswer_LogsAtDebugNotAsAWarning()
    {
        // `systemctl is-active` of a stopped unit: exit 3 is the answer "inactive".
        var result = await Runner.RunAsync(["/bin/sh", "-c", "echo inactive; exit 3"], Generous, exitCodeIsAnswer: true);

        result.ExitCode.Should().Be(3);
        _log.Messages.Should().ContainSingle().Which.Should().Match("Debug: Command \"/bin/sh -c *\" exited with 3 after * ms: \"inactive\"");
    }

    [Fact]
    public async Task RunAsync_Arguments_ReachTheCommandVerbatimWithoutAShell()
    {
        string[] arguments = ["a b", "", "it's", "\"quoted\"", "back\\slash\\", "$HOME", "; touch /tmp/x", "*", "tab\there"];

        var result = await Runner.RunAsync(["/usr/bin/printf", "%s\\0", .. arguments], Generous);

        result.StandardOutput.Split('\0')[..^1].Should().Equal(arguments);
    }

    [Fact]
    public async Task RunAsync_Environment_IsAddedToTheInheritedOne()
    {
        var environment = new Dictionary<string, string> { ["HAMANAGER_TEST_VALUE"] = "a b;c" };

        var result = await Runner.RunAsync(["/bin/sh", "-c", "printf '%s|%s' \"$HAMANAGER_TEST_VALUE\" \"$PATH\""], Generous,
            environment: environment);

        result.StandardOutput.Should().Be($"a b;c|{Environment.GetEnvironmentVariable("PATH")}");
    }

    [Fact]
    public async Task RunAsync_StandardInput_IsWrittenToTheCommand()
    {
        var result = await Runner.RunAsync(["/bin/cat"], Generous, standardInput: "ALTER ROLE app PASSWORD 'x';\nRELOAD;\n");

        result.StandardOutput.Should().Be("ALTER ROLE app PASSWORD 'x';\nRELOAD;\n");
    }

    [Fact]
    public async Task RunAsync_NoStandardInput_CommandReadsEndOfFile()
    {
        var result = await Runner.RunAsync(["/bin/cat"], Generous);

        result.ExitCode.Should().Be(0);
        result.StandardOutput.Should().BeEmpty();
    }

    [Fact]
    public async Task RunAsync_Always_RunsInTheRootDirectory()
    {
        var result = await Runner.RunAsync(["/bin/pwd"], Generous);

        result.StandardOutput.Should().Be("/\n");
    }

    [Fact]
    public async Task RunAsync_Timeout_ThrowsAndKillsTheProcessTree()
    {
        using var dir = new TempDirectory();
        var pids = dir.File("pids");
        var stopwatch = Stopwatch.StartNew();

        // The shell starts a grandchild and reports both PIDs; both must be gone after the timeout.
        var act = () => Runner.RunAsync(["/bin/sh", "-c", $"sleep 300 & echo $$ $! > {pids}; echo started; wait"], TimeSpan.FromSeconds(2));

        (await act.Should().ThrowAsync<CommandTimeoutException>()).Which.CommandLine.Should().StartWith("/bin/sh -c sleep 300");
        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20));
        var started = File.ReadAllText(pids).Split(' ', StringSplitOptions.TrimEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        started.Should().HaveCount(2);
        await Eventually.WaitAsync(() => !started.Any(Posix.IsAlive), "the shell and its sleep to be gone");
        _log.Messages.Should().ContainSingle().Which.Should().Match("Warning: Command * did not finish within 2000 ms and was killed: \"started\"");
    }

    [Fact]
    public async Task RunAsync_CallerCancels_ThrowsOperationCanceledAndKillsTheProcess()
    {
        using var dir = new TempDirectory();
        var pidFile = dir.File("pid");
        using var cancel = new CancellationTokenSource();

        var run = Runner.RunAsync(["/bin/sh", "-c", $"echo $$ > {pidFile}; exec sleep 300"], Generous, cancel.Token);
        await Eventually.WaitAsync(() => File.Exists(pidFile) && File.ReadAllText(pidFile).EndsWith('\n'), "the command to start");
        var pid = int.Parse(File.ReadAllText(pidFile), CultureInfo.InvariantCulture);
        await cancel.CancelAsync();

        await run.Invoking(r => r).Should().ThrowAsync<OperationCanceledException>();
        await Eventually.WaitAsync(() => !Posix.IsAlive(pid), "the cancelled command to be gone");
    }

    [Fact]
    public async Task RunAsync_MissingExecutable_ThrowsIOExceptionNamingIt()
    {
        var act = () => Runner.RunAsync(["/nonexistent/hamanager-tool", "--version"], Generous);

        await act.Should().ThrowAsync<IOException>().WithMessage("cannot run '/nonexistent/hamanager-tool'*");
    }
}
