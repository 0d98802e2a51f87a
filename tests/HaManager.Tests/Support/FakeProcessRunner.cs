using HaManager.Watchers.Processes;
using Serilog.Core;

namespace HaManager.Tests.Support;

/// <summary>Runs nothing: records each command line and answers with the exit code <see cref="ExitCodeFor"/> gives (default: fail).</summary>
public sealed class FakeProcessRunner() : ProcessRunner(Logger.None)
{
    private readonly List<string> _commands = [];

    public Func<IReadOnlyList<string>, int> ExitCodeFor { get; set; } = _ => 1;

    /// <summary>What a command prints on standard output (default: nothing).</summary>
    public Func<IReadOnlyList<string>, string> OutputFor { get; set; } = _ => string.Empty;

    public IReadOnlyList<string> Commands
    {
        get { lock (_commands) return _commands.ToArray(); }
    }

    public override Task<CommandResult> RunAsync(IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken = default,
        IReadOnlyDictionary<string, string>? environment = null, string? standardInput = null, bool exitCodeIsAnswer = false)
    {
        lock (_commands) _commands.Add(string.Join(' ', command));
        return Task.FromResult(new CommandResult(command, ExitCodeFor(command), OutputFor(command), "fake", TimeSpan.Zero));
    }
}
