using System.Net;
using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Tests.Support;
using HaManager.Watchers.Engine;
using HaManager.Watchers.Pgbouncer;
using HaManager.Watchers.Switchover;

namespace HaManager.Tests.Switchover;

/// <summary>A switchover whose CLI died between PAUSE and RESUME must not leave any pgbouncer's clients waiting forever.</summary>
public sealed class PausedClientsGuardTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly string RepmgrPassword = new('r', 32); // what ClusterSeed stores in secrets/postgres
    private readonly InMemoryKvStore _kv = new();
    private readonly KvKeys _keys = new();
    private readonly TestLogger _log = new();
    private RealPgbouncer _pgbouncer = null!;
    private PausedClientsGuard _guard = null!;

    public async Task InitializeAsync()
    {
        _pgbouncer = await RealPgbouncer.StartAsync(RepmgrPassword);
        _guard = new PausedClientsGuard(_keys, NodeName.Parse("n3"), _pgbouncer.Address, _pgbouncer.Port, _log.Logger);
    }

    public async Task DisposeAsync() => await _pgbouncer.DisposeAsync();

    [Fact]
    public async Task SwitchoverInProgress_LeavesThePauseAlone()
    {
        await PauseAsync();
        await SeedAsync(SwitchoverRecord.Stopping, DateTimeOffset.UtcNow.AddSeconds(60));
        (await ReconcileAsync()).Should().BeNull();
        (await PausedAsync()).Should().Be("1", "the switchover command resumes the clients itself");
    }

    [Theory]
    [InlineData(SwitchoverRecord.Stopping, -1.0)]
    [InlineData(SwitchoverRecord.Promoted, 60.0)]
    [InlineData(SwitchoverRecord.Failed, -1.0)]
    [InlineData(SwitchoverRecord.RolledBack, 60.0)]
    public async Task SwitchoverOverOrPastItsDeadline_ResumesTheLocalPgbouncerOnce(string phase, double deadlineInSeconds)
    {
        await PauseAsync();
        await SeedAsync(phase, DateTimeOffset.UtcNow.AddSeconds(deadlineInSeconds));

        (await ReconcileAsync()).Should().Contain("resumed the clients").And.Contain("did not finish");
        (await PausedAsync()).Should().Be("0");
        await PauseAsync();
        (await ReconcileAsync()).Should().BeNull("RESUME is sent once per switchover");
        (await PausedAsync()).Should().Be("1", "a later pause is not this switchover's to undo");
    }

    [Fact]
    public async Task NothingPaused_SaysNothing()
    {
        await SeedAsync(SwitchoverRecord.Promoted, DateTimeOffset.UtcNow.AddSeconds(60));
        (await ReconcileAsync()).Should().BeNull();
        (await ReconcileAsync()).Should().BeNull();
        (await PausedAsync()).Should().Be("0");
    }

    [Fact]
    public async Task PgbouncerDown_IsTriedAgainNextCycle()
    {
        await SeedAsync(SwitchoverRecord.Promoted, DateTimeOffset.UtcNow.AddSeconds(60));
        await _pgbouncer.StopAsync();
        (await ReconcileAsync()).Should().BeNull();

        // A restarted pgbouncer forgets a PAUSE: pause it again, so that the guard's retry has something to resume.
        await _pgbouncer.StartAsync();
        await PauseAsync();
        (await ReconcileAsync()).Should().Contain("resumed the clients");
        (await PausedAsync()).Should().Be("0");
    }

    private async Task SeedAsync(string phase, DateTimeOffset deadline)
    {
        var seed = await new ClusterSeed(_kv).ConfigAsync();
        await seed.PostgresAsync("n1", DateTimeOffset.UtcNow, 1, ("n1", 1, PostgresRole.Primary), ("n2", 2, PostgresRole.Standby), ("n3", 3, PostgresRole.Standby));
        var record = new SwitchoverRecord
        {
            From = NodeName.Parse("n1"), To = NodeName.Parse("n2"), By = "root@n3", Phase = phase,
            Started = DateTimeOffset.UtcNow.AddSeconds(-90), Deadline = deadline,
        };
        (await _kv.PutAsync(_keys.Switchover, KvJson.Serialize(record))).Should().BeTrue();
    }

    private async Task<string?> ReconcileAsync() =>
        await _guard.ReconcileAsync(await KvSnapshot.ReadAsync(_kv, _keys, _guard.Prefixes, CancellationToken.None), CancellationToken.None);

    private async Task PauseAsync()
    {
        await using var console = new PgbouncerConsole("n3", _pgbouncer.Address, _pgbouncer.Port, RealPgbouncer.AdminUser, RepmgrPassword);
        await console.PauseAsync(RealPgbouncer.Database, Timeout, CancellationToken.None);
    }

    private async Task<string?> PausedAsync()
    {
        await using var connection = await PgbouncerAdminConnection.OpenAsync(_pgbouncer.Address, _pgbouncer.Port, RealPgbouncer.AdminUser, RepmgrPassword, CancellationToken.None);
        return (await connection.QueryAsync("SHOW DATABASES", CancellationToken.None)).Value(RealPgbouncer.Database, "paused");
    }
}
