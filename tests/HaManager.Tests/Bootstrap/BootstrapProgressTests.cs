using HaManager.Bootstrap;

namespace HaManager.Tests.Bootstrap;

public sealed class BootstrapProgressTests
{
    [Fact]
    public void Result_TwiceForOneStep_KeepsBothInTheSummary()
    {
        var output = new StringWriter();
        var progress = new BootstrapProgress(output);

        progress.Step("Starting Consul");
        progress.Result("started");
        progress.Result("leader 10.231.0.11:8300");
        progress.Step("Registering node n1");

        progress.Steps.Select(s => (s.Number, s.Description, s.Result)).Should().Equal(
            (1, "Starting Consul", "started; leader 10.231.0.11:8300"),
            (2, "Registering node n1", null));
        output.ToString().Should().StartWith("[1] Starting Consul\n    started (");
    }

    [Fact]
    public async Task WaitAsync_WithoutATerminal_RunsTheWaitAndPrintsNothing()
    {
        var output = new StringWriter();
        var progress = new BootstrapProgress(output);

        var result = await progress.WaitAsync("Asking 10.231.0.11:8500", report =>
        {
            report.Report("connection refused; retrying for 14 s");
            return Task.FromResult(42);
        });

        result.Should().Be(42);
        output.ToString().Should().BeEmpty();
    }
}
