using HaManager.Cli.Terminal;

namespace HaManager.Tests.Cli.Terminal;

public sealed class TerminalWaitIndicatorTests
{
    [Fact]
    public async Task WhileAsync_StatusUpdates_ReturnsTheWaitsResultAndWritesOnlyToTheGivenWriter()
    {
        var error = new StringWriter();

        var result = await new TerminalWaitIndicator(error).WhileAsync("Waiting for n2 [1/2]", async report =>
        {
            report.Report("n2: resources at 40 % [brackets are text, not markup]");
            await Task.Yield();
            return "done";
        });

        result.Should().Be("done");
    }
}
