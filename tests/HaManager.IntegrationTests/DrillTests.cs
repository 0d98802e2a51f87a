using System.Text.Json;
using HaManager.IntegrationTests.Support;
using Xunit.Abstractions;

namespace HaManager.IntegrationTests;

/// <summary>
/// `hamanager drill` (issue 12): a switchover drill through the VIP measures a recovery, loses no acknowledged row,
/// drops its table and records its figures under drills/; a kill-primary drill without --yes is refused and changes
/// nothing. A second drill switches back, so the lab ends as it began (and shows the human summary).
/// </summary>
[Collection(LabCollection.Name)]
public sealed class DrillTests(ITestOutputHelper log)
{
    private static readonly string[] Nodes = ["n1", "n2", "n3"];
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(150);

    [Fact]
    public async Task SwitchoverDrill_MeasuresLosesNothingAndCleansUp_KillPrimaryWithoutYes_IsRefused()
    {
        var status = await LabDatabase.HealthyStatusAsync("n3", Settle);
        var old = status.GetProperty("postgres_master").GetString()!;
        var asker = Nodes.First(n => n != old);

        var refused = await Lab.ExecAsync(old, "hamanager", "drill", "--kill-primary");
        refused.ExitCode.Should().Be(6, refused.StandardOutput + refused.StandardError);
        refused.StandardError.Should().Contain("pass --yes").And.Contain("Nothing was changed");
        (await LabDatabase.MasterAsync(asker)).Should().Be(old);
        (await Lab.ConsulKvAsync(asker, "get", "-recurse", "hamanager/drills/")).StandardOutput.Should().BeEmpty("a refused drill records nothing");

        var drill = await Lab.ExecAsync(asker, "hamanager", "drill", "--yes", "--json");
        log.WriteLine($"drill --yes --json on {asker}: exit {drill.ExitCode}\n--- stdout\n{drill.StandardOutput}--- stderr\n{drill.StandardError}");
        drill.ExitCode.Should().Be(0, drill.StandardOutput + drill.StandardError);
        var result = JsonDocument.Parse(drill.StandardOutput).RootElement;
        result.GetProperty("outcome").GetString().Should().Be("completed");
        result.GetProperty("mode").GetString().Should().Be("switchover");
        result.GetProperty("from").GetString().Should().Be(old);
        var primary = result.GetProperty("to").GetString()!;
        primary.Should().NotBe(old);
        result.GetProperty("lost_rows").GetInt64().Should().Be(0, "a switchover loses no acknowledged write");
        result.GetProperty("acked_rows").GetInt64().Should().BePositive();
        result.GetProperty("rto_seconds").GetDouble().Should().BePositive();
        result.GetProperty("table_dropped").GetBoolean().Should().BeTrue();
        var table = result.GetProperty("table").GetString()!;
        (await LabDatabase.LocalSqlAsync(primary, $"SELECT to_regclass('public.{table}') IS NULL")).StandardOutput.Trim().Should().Be("t", "the drill drops its table");

        var drills = await Lab.ConsulKvAsync(asker, "get", "-recurse", "hamanager/drills/");
        drills.StandardOutput.Should().Contain("hamanager/drills/").And.Contain("\"rto_seconds\"").And.Contain($"\"from_node\":\"{old}\"");
        var history = await Lab.ExecAsync(asker, "hamanager", "history", "--json");
        history.StandardOutput.Should().Contain("\"drill\"", "history shows the drill");

        // Back to where the lab began, in plain text this time.
        await LabDatabase.HealthyStatusAsync(asker, Settle);
        var back = await Lab.ExecAsync(asker, "hamanager", "drill", "--yes", "--to", old);
        log.WriteLine($"drill --yes --to {old} on {asker}: exit {back.ExitCode}\n--- stdout\n{back.StandardOutput}--- stderr\n{back.StandardError}");
        back.ExitCode.Should().Be(0, back.StandardOutput + back.StandardError);
        back.StandardOutput.Should().Contain($"failover drill (switchover from {primary} to {old}): RTO ").And.Contain("acknowledged rows lost 0 (of ");
        (await LabDatabase.MasterAsync(asker)).Should().Be(old);
        await LabDatabase.HealthyStatusAsync(asker, Settle);
    }
}
