using HaManager.Watchers.Pgbouncer;
namespace HaManager.Cli.Switchover;

/// <summary>Every node's pgbouncer at once: a switchover pauses them all, waits until all point at the new primary, and resumes them all.</summary>
public sealed class PgbouncerFleet(IReadOnlyList<PgbouncerConsole> consoles, string database) : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RetargetPoll = TimeSpan.FromMilliseconds(50);
    private readonly List<PgbouncerConsole> _paused = [];

    public IReadOnlyList<string> Nodes => consoles.Select(c => c.Node).ToList();

    /// <summary>Throws when any pgbouncer did not pause within <paramref name="timeout"/>; those that did stay paused until <see cref="ResumeAllAsync"/>.</summary>
    public Task PauseAllAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        Task.WhenAll(consoles.Select(async console =>
        {
            lock (_paused) _paused.Add(console); // before the command: a PAUSE that times out may still take effect
            await console.PauseAsync(database, timeout, cancellationToken);
        }));

    /// <returns>One sentence per pgbouncer that could not be resumed (empty when all were).</returns>
    public async Task<IReadOnlyList<string>> ResumeAllAsync()
    {
        PgbouncerConsole[] paused;
        lock (_paused) paused = [.. _paused];
        var failures = await Task.WhenAll(paused.Select(async console =>
        {
            // Never cancelled: clients must not stay paused because the operator pressed Ctrl-C.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await console.ResumeAsync(database, CommandTimeout, CancellationToken.None);
                    return null;
                }
                catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException && attempt < 3)
                {
                    await Task.Delay(200, CancellationToken.None);
                }
                catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException)
                {
                    return $"pgbouncer on {console.Node} could not be resumed: {e.Message} (run RESUME {database} on its admin console)";
                }
            }
        }));
        lock (_paused) _paused.Clear();
        return failures.OfType<string>().ToList();
    }

    /// <summary>Waits until every pgbouncer sends new server connections to <paramref name="host"/> (its watcher re-rendered and reloaded it).</summary>
    public Task WaitForTargetAsync(string host, TimeSpan timeout, CancellationToken cancellationToken) =>
        Task.WhenAll(consoles.Select(async console =>
        {
            var deadline = DateTime.UtcNow + timeout;
            while (await console.TargetHostAsync(database, CommandTimeout, cancellationToken) != host)
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"pgbouncer on {console.Node} did not point at {host} within {timeout.TotalSeconds:0} s");
                await Task.Delay(RetargetPoll, cancellationToken);
            }
        }));

    /// <summary>Closes every admin connection; call it after <see cref="ResumeAllAsync"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var console in consoles) await console.DisposeAsync();
    }
}
