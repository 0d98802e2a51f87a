using System.Text.Json;
using HaManager.Cli;
using HaManager.Tests.Support;

namespace HaManager.Tests.Cli;

/// <summary>`bootstrap --json`: the running commentary on stderr, one summary on stdout, also when it fails.</summary>
public sealed class BootstrapCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Bootstrap_JsonJoiningItself_PrintsAFailedSummaryOnStdoutAndStepsOnStderr()
    {
        File.WriteAllText(_dir.File("node.yaml"), "node:\n  name: n1\n  address: 10.231.0.11\n");
        var services = CliRun.Workstation(_dir.File("absent.yaml"));

        var run = await CliRun.RunAsync(services, "bootstrap", "--json", "--join", "10.231.0.11", "--config", _dir.File("node.yaml"));

        run.ExitCode.Should().Be(ExitCodes.InvalidInput, run.ToString());
        run.Error.Should().StartWith("[1] Checking arguments for node n1 (10.231.0.11)\n")
            .And.EndWith("hamanager: error: --join 10.231.0.11 is this node's own address; give the address of another member\n");
        var summary = JsonDocument.Parse(run.Out).RootElement;
        summary.GetProperty("node").GetString().Should().Be("n1");
        summary.GetProperty("mode").GetString().Should().Be("join");
        summary.GetProperty("outcome").GetString().Should().Be("failed");
        summary.GetProperty("exit_code").GetInt32().Should().Be(ExitCodes.InvalidInput);
        summary.GetProperty("error").GetString().Should().Contain("is this node's own address");
        summary.GetProperty("failed_step").GetString().Should().Be("Checking arguments for node n1 (10.231.0.11)");
        var step = summary.GetProperty("steps").EnumerateArray().Should().ContainSingle().Subject;
        step.GetProperty("step").GetInt32().Should().Be(1);
        step.GetProperty("result").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public async Task Bootstrap_WithoutJsonOnInvalidSettings_PrintsNothingOnStdout()
    {
        File.WriteAllText(_dir.File("node.yaml"), "node:\n  name: n1\n  adress: 10.231.0.11\n");

        var run = await CliRun.RunAsync(CliRun.Workstation(_dir.File("absent.yaml")), "bootstrap", "--config", _dir.File("node.yaml"));

        run.ExitCode.Should().Be(ExitCodes.InvalidInput);
        run.Out.Should().BeEmpty();
        run.Error.Should().Contain("line 3, column 3: node.adress is not a known setting (known: name, address)");
    }
}
