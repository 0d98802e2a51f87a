using System.Net;
using System.Net.Sockets;

namespace HaManager.Watchers.Pgbouncer;

/// <summary>
/// One node's pgbouncer admin console (PAUSE, RESUME, SHOW DATABASES) over one connection kept open between commands:
/// a switchover sends several while clients wait, and a fresh login each time would add to their pause. The admin
/// password goes only into the SCRAM exchange, never into argv, an environment or a log.
/// </summary>
public sealed class PgbouncerConsole(string node, IPAddress address, int port, string adminUser, string password) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private PgbouncerAdminConnection? _connection;

    public string Node { get; } = node;

    /// <summary>Returns once every running transaction on the database has ended and its server connections are closed; new queries wait.</summary>
    public Task PauseAsync(string database, TimeSpan timeout, CancellationToken cancellationToken) =>
        RunAsync($"PAUSE {database}", timeout, cancellationToken);

    /// <summary>A database that is not paused counts as resumed.</summary>
    /// <returns>Whether it was paused.</returns>
    public async Task<bool> ResumeAsync(string database, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await RunAsync($"RESUME {database}", timeout, cancellationToken);
            return true;
        }
        catch (InvalidOperationException e) when (e.Message.Contains("not paused", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
    }

    /// <summary>The host pgbouncer sends the database's new server connections to (SHOW DATABASES: name, host, port, …).</summary>
    public async Task<string?> TargetHostAsync(string database, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var databases = await RunAsync("SHOW DATABASES", timeout, cancellationToken);
        return databases.Value(database, "host");
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            await DropAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <exception cref="InvalidOperationException">pgbouncer refused the command (its message is included).</exception>
    /// <exception cref="TimeoutException">No answer within <paramref name="timeout"/>.</exception>
    /// <exception cref="IOException">pgbouncer could not be reached.</exception>
    private async Task<PgbouncerAdminResult> RunAsync(string command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var where = $"pgbouncer on {Node} ({address}:{port})";
        try
        {
            await _gate.WaitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{where} did not complete {command} within {timeout.TotalSeconds:0.#} s (another command was still running)");
        }

        try
        {
            // A kept connection may have been closed by pgbouncer since (a restart): then one fresh login.
            for (var attempt = 1; ; attempt++)
            {
                var reused = _connection is not null;
                try
                {
                    _connection ??= await PgbouncerAdminConnection.OpenAsync(address, port, adminUser, password, deadline.Token);
                    return await _connection.QueryAsync(command, deadline.Token);
                }
                catch (PgbouncerAdminException e)
                {
                    throw new InvalidOperationException($"{where}: {command} failed: {e.Message}", e);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    await DropAsync(); // the answer may still arrive: this connection's replies would be out of step
                    throw new TimeoutException($"{where} did not complete {command} within {timeout.TotalSeconds:0.#} s");
                }
                catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
                {
                    await DropAsync();
                    if (!reused || attempt > 1) throw new IOException($"{where}: {command} failed: {e.Message}", e);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task DropAsync()
    {
        if (_connection is null) return;
        await _connection.DisposeAsync();
        _connection = null;
    }
}
