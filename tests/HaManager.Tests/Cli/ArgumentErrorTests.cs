using System.CommandLine;
using HaManager.Cli;
using HaManager.Cli.Docs;
using HaManager.Tests.Support;

namespace HaManager.Tests.Cli;

/// <summary>A command line that does not parse: the problem and one hint on stderr, exit 2, nothing on stdout.</summary>
public sealed class ArgumentErrorTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Invoke_NoCommand_ExitsTwoPointingAtHelp()
    {
        var run = await RunAsync();

        run.ExitCode.Should().Be(ExitCodes.InvalidInput);
        run.Out.Should().BeEmpty();
        run.Error.Should().Be("hamanager: error: Required command was not provided\nTry 'hamanager --help'.\n");
    }

    [Fact]
    public async Task Invoke_UnknownCommand_SuggestsTheNearestOne()
    {
        var run = await RunAsync("stauts");

        run.ExitCode.Should().Be(ExitCodes.InvalidInput);
        run.Out.Should().BeEmpty();
        run.Error.Should().Contain("'stauts' (did you mean status?)").And.EndWith("Try 'hamanager --help'.\n");
    }

    [Fact]
    public async Task Invoke_FlagGivenAValue_IsAnUnknownArgumentNotABadBoolean()
    {
        var run = await RunAsync("status", "--json", "yes");

        run.ExitCode.Should().Be(ExitCodes.InvalidInput);
        run.Error.Should().Be("hamanager: error: Unrecognized command or argument 'yes'\nTry 'hamanager status --help'.\n");
    }

    [Fact]
    public async Task Invoke_MissingRequiredOption_NamesIt()
    {
        var run = await RunAsync("notify", "repmgr", "--node-id", "1", "--event", "x");

        run.ExitCode.Should().Be(ExitCodes.InvalidInput);
        run.Out.Should().BeEmpty();
        run.Error.Should().Contain("--success").And.EndWith("Try 'hamanager notify repmgr --help'.\n");
    }

    [Fact]
    public async Task Invoke_HelpWithATypo_StillShowsHelpOnStdout()
    {
        var run = await RunAsync("status", "--help");

        run.ExitCode.Should().Be(ExitCodes.Ok);
        run.Out.Should().Contain("--json").And.Contain("--config <FILE>").And.Contain("--consul <URL>");
        run.Error.Should().BeEmpty();
    }

    [Fact]
    public async Task Invoke_EveryOptionWithAnUnreadableValue_SaysSoWithoutDotNetTypeNames()
    {
        var root = HaManagerCli.CreateRootCommand();
        var checkedOptions = 0;
        foreach (var command in CommandTree.Commands(root).Where(c => c.Action is not null))
        {
            foreach (var option in CommandTree.OwnOptions(command).Where(o => CommandTree.TakesValue(o)
                         && (o.ValueType != typeof(string) && o.ValueType != typeof(string[]) || CommandTree.Choices(o).Count > 0)))
            {
                var run = await RunAsync([.. CommandTree.Path(command).Split(' '), option.Name, "not-a-value"]);

                run.ExitCode.Should().Be(ExitCodes.InvalidInput, $"{CommandTree.Path(command)} {option.Name}: {run}");
                run.Out.Should().BeEmpty();
                run.Error.Should().Contain(option.Name).And.Contain("not-a-value");
                run.Error.Should().NotContainAny("System.", "expected type", "HaManager.");
                checkedOptions++;
            }
        }

        checkedOptions.Should().BeGreaterThanOrEqualTo(4, "sync wait --timeout/--min-peers and db --via have typed values");
    }

    [Fact]
    public void Help_EveryOptionWithAValue_NamesTheKindOfValue()
    {
        var root = HaManagerCli.CreateRootCommand();
        var options = CommandTree.Commands(root).Prepend(root).SelectMany(CommandTree.OwnOptions).Where(CommandTree.TakesValue).Distinct().ToList();

        options.Where(o => o.HelpName is null && CommandTree.Choices(o).Count == 0).Select(o => o.Name)
            .Should().BeEmpty("a placeholder says what to give (FILE, URL, ADDR, CIDR, …), not the option's own name again");
        // An option name used by several commands (--timeout) takes the same kind of value in each.
        foreach (var sameName in options.GroupBy(o => o.Name))
            sameName.Select(o => o.HelpName).Distinct().Should().ContainSingle($"{sameName.Key} takes the same kind of value in every command");
        options.GroupBy(o => o.Name).ToDictionary(g => g.Key, g => g.First().HelpName).Should().Contain(new Dictionary<string, string?>
        {
            ["--config"] = "FILE", ["--consul"] = "URL", ["--join"] = "ADDR", ["--virtual-ip"] = "CIDR", ["--node-name"] = "NAME", ["--address"] = "IP",
        });
    }

    private Task<CliRun> RunAsync(params string[] args) => CliRun.RunAsync(CliRun.Workstation(_dir.File("absent.yaml")), args);
}
