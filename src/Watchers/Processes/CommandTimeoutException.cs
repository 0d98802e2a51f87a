namespace HaManager.Watchers.Processes;

public sealed class CommandTimeoutException(string commandLine, TimeSpan timeout)
    : Exception($"'{commandLine}' did not finish within {timeout.TotalSeconds:0.#} s and was killed")
{
    public string CommandLine { get; } = commandLine;
}
