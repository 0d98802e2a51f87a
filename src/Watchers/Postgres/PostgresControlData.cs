using System.Text.RegularExpressions;
using HaManager.Watchers.Processes;

namespace HaManager.Watchers.Postgres;

/// <summary>
/// What pg_controldata says about a stopped data directory: whether it was shut down cleanly and where its
/// last checkpoint is. After a clean stop of a primary that is the shutdown checkpoint, the last record it
/// wrote: a standby that has received past it has every transaction the primary ever acknowledged.
/// </summary>
public sealed partial class PostgresControlData(PostgresLocal local, ProcessRunner runner)
{
    public async Task<ulong> ShutdownCheckpointAsync(CancellationToken cancellationToken)
    {
        // LC_ALL=C: the field names are translated otherwise.
        var environment = new Dictionary<string, string>(local.ToolEnvironment) { ["LC_ALL"] = "C" };
        var result = await runner.RunAsync(local.AsOsUser(local.Bin("pg_controldata"), "-D", local.DataDir), TimeSpan.FromSeconds(15), cancellationToken, environment);
        if (!result.Succeeded) throw new InvalidOperationException($"pg_controldata failed (exit {result.ExitCode}): {result.OutputTail(400)}");
        return ParseShutdownCheckpoint(result.StandardOutput);
    }

    /// <exception cref="InvalidOperationException">The data directory was not shut down cleanly, or the output has no checkpoint location.</exception>
    public static ulong ParseShutdownCheckpoint(string output)
    {
        var state = State().Match(output);
        if (!state.Success || state.Groups["state"].Value.Trim() != "shut down")
            throw new InvalidOperationException($"the data directory was not shut down cleanly (cluster state: {(state.Success ? state.Groups["state"].Value.Trim() : "unknown")})");
        var location = Checkpoint().Match(output);
        if (!location.Success || !PostgresState.TryParseLsn(location.Groups["lsn"].Value, out var lsn))
            throw new InvalidOperationException("pg_controldata printed no latest checkpoint location");
        return lsn;
    }

    [GeneratedRegex(@"^Database cluster state:\s*(?<state>.+)$", RegexOptions.Multiline)]
    private static partial Regex State();

    [GeneratedRegex(@"^Latest checkpoint location:\s*(?<lsn>[0-9A-Fa-f]+/[0-9A-Fa-f]+)\s*$", RegexOptions.Multiline)]
    private static partial Regex Checkpoint();
}
