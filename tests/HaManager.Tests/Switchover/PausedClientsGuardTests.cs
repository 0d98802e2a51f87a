using System.Net;
using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Tests.Support;
using HaManager.Watchers.Engine;
using HaManager.Watchers.Switchover;

namespace HaManager.Tests.Switchover;

/// <summary>A switchover whose CLI died between PAUSE and RESUME must not leave any pgbouncer's clients waiting forever.</summary>
public sealed class PausedClientsGuardTests
{
    private readonly InMemoryKvStore _kv = new();
    private readonly KvKeys _keys = new();
    private readonly FakeProcessRunner _runner = new() { ExitCodeFor = _ => 0 };
    private readonly TestLogger _log = new();
    private readonly PausedClientsGuard _guard;

    public PausedClientsGuardTests() =>
        _guard = new PausedClientsGuard(_keys, NodeName.Parse("n3"), IPAddress.Parse("10.231.0.13"), 6432, "/usr/bin/psql", _runner, _log.Logger);

    [Fact]
    public async Task SwitchoverInProgress_LeavesThePauseAlone()
    {
        await SeedAsync(SwitchoverRecord.Stopping, DateTimeOffset.UtcNow.AddSeconds(60));
        (await ReconcileAsync()).Should().BeNull();
        _runner.Commands.Should().BeEmpty("the switchover command resumes the clients itself");
    }

    [Theory]
    [InlineData(SwitchoverRecord.Stopping, -1.0)]
    [InlineData(SwitchoverRecord.Promoted, 60.0)]
    [InlineData(SwitchoverRecord.Failed, -1.0)]
    [InlineData(SwitchoverRecord.RolledBack, 60.0)]
    public async Task SwitchoverOverOrPastItsDeadline_ResumesTheLocalPgbouncerOnce(string phase, double deadlineInSeconds)
    {
        await SeedAsync(phase, DateTimeOffset.UtcNow.AddSeconds(deadlineInSeconds));

        (await ReconcileAsync()).Should().Contain("resumed the clients").And.Contain("did not finish");
        (await ReconcileAsync()).Should().BeNull("RESUME is sent once per switchover");
        var resume = _runner.Commands.Should().ContainSingle().Subject;
        resume.Should().Contain("RESUME manager").And.Contain("host=10.231.0.13 port=6432 user=repmgr dbname=pgbouncer");
    }

    [Fact]
    public async Task NothingPaused_SaysNothing()
    {
        _runner.ExitCodeFor = _ => 1;
        _runner.OutputFor = _ => "ERROR:  database manager is not paused";
        await SeedAsync(SwitchoverRecord.Promoted, DateTimeOffset.UtcNow.AddSeconds(60));
        (await ReconcileAsync()).Should().BeNull();
        (await ReconcileAsync()).Should().BeNull();
        _runner.Commands.Should().ContainSingle();
    }

    [Fact]
    public async Task PgbouncerDown_IsTriedAgainNextCycle()
    {
        _runner.ExitCodeFor = _ => 2;
        _runner.OutputFor = _ => "psql: error: connection to server failed: Connection refused";
        await SeedAsync(SwitchoverRecord.Promoted, DateTimeOffset.UtcNow.AddSeconds(60));
        (await ReconcileAsync()).Should().BeNull();
        _runner.ExitCodeFor = _ => 0;
        (await ReconcileAsync()).Should().Contain("resumed the clients");
        _runner.Commands.Should().HaveCount(2);
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
}
