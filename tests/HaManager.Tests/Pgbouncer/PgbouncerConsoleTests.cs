using HaManager.Tests.Support;
using HaManager.Watchers.Pgbouncer;

namespace HaManager.Tests.Pgbouncer;

/// <summary>The admin console client against a real pgbouncer: SCRAM login, PAUSE/RESUME/SHOW over one kept connection.</summary>
public sealed class PgbouncerConsoleTests : IAsyncLifetime
{
    private const string Password = "correct-horse-battery-staple-42";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private RealPgbouncer _pgbouncer = null!;

    public async Task InitializeAsync() => _pgbouncer = await RealPgbouncer.StartAsync(Password);

    public async Task DisposeAsync() => await _pgbouncer.DisposeAsync();

    [Fact]
    public async Task PauseShowResume_OverOneConnection_ReportsWhatPgbouncerDid()
    {
        await using var console = Console(Password);

        await console.PauseAsync(RealPgbouncer.Database, Timeout, CancellationToken.None);
        (await PausedAsync()).Should().Be("1", "PAUSE took effect");
        (await console.TargetHostAsync(RealPgbouncer.Database, Timeout, CancellationToken.None)).Should().Be("127.0.0.1");

        (await console.ResumeAsync(RealPgbouncer.Database, Timeout, CancellationToken.None)).Should().BeTrue("it was paused");
        (await PausedAsync()).Should().Be("0");
        (await console.ResumeAsync(RealPgbouncer.Database, Timeout, CancellationToken.None)).Should().BeFalse("a database that is not paused counts as resumed");
    }

    [Fact]
    public async Task WrongPassword_IsRefusedWithPgbouncersReason()
    {
        await using var console = Console("not-the-password");

        var act = () => console.TargetHostAsync(RealPgbouncer.Database, Timeout, CancellationToken.None);

        (await act.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("pgbouncer on n1").And.Contain("authentication failed");
    }

    [Fact]
    public async Task PgbouncerRestarted_TheKeptConnectionIsReplacedByAFreshLogin()
    {
        await using var console = Console(Password);
        (await console.TargetHostAsync(RealPgbouncer.Database, Timeout, CancellationToken.None)).Should().Be("127.0.0.1");

        await _pgbouncer.StopAsync();
        await _pgbouncer.StartAsync();

        (await console.TargetHostAsync(RealPgbouncer.Database, Timeout, CancellationToken.None)).Should().Be("127.0.0.1");
    }

    [Fact]
    public async Task PgbouncerNotRunning_IsAnIoErrorNamingTheNode()
    {
        await _pgbouncer.StopAsync();
        await using var console = Console(Password);

        var act = () => console.PauseAsync(RealPgbouncer.Database, Timeout, CancellationToken.None);

        (await act.Should().ThrowAsync<IOException>()).Which.Message.Should().Contain($"pgbouncer on n1 (127.0.0.1:{_pgbouncer.Port})").And.Contain("PAUSE manager");
    }

    private PgbouncerConsole Console(string password) => new("n1", _pgbouncer.Address, _pgbouncer.Port, RealPgbouncer.AdminUser, password);

    /// <summary>SHOW DATABASES' "paused" column for the database, read on a connection of its own.</summary>
    private async Task<string?> PausedAsync()
    {
        await using var connection = await PgbouncerAdminConnection.OpenAsync(_pgbouncer.Address, _pgbouncer.Port, RealPgbouncer.AdminUser, Password, CancellationToken.None);
        return (await connection.QueryAsync("SHOW DATABASES", CancellationToken.None)).Value(RealPgbouncer.Database, "paused");
    }
}
