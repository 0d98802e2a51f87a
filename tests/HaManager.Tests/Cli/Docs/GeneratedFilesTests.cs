using System.Diagnostics;
using HaManager.Cli;
using HaManager.Cli.Docs;
using HaManager.Tests.Support;

namespace HaManager.Tests.Cli.Docs;

/// <summary>
/// The man page and the bash completion script are generated from the command definitions and committed;
/// these tests fail when a command changes and the files are not regenerated (packaging/generate-docs).
/// </summary>
public sealed class GeneratedFilesTests
{
    private static readonly System.CommandLine.RootCommand Root = HaManagerCli.CreateRootCommand();

    [Fact]
    public void ManPage_Committed_IsWhatTheGeneratorWritesNow()
    {
        var committed = File.ReadAllText(RepoFiles.PathOf("packaging/man/hamanager.1"));

        committed.Should().Be(ManPageWriter.Write(Root), "packaging/man/hamanager.1 must be regenerated: packaging/generate-docs");
    }

    [Fact]
    public void BashCompletion_Committed_IsWhatTheGeneratorWritesNow()
    {
        var committed = File.ReadAllText(RepoFiles.PathOf("packaging/bash-completion/hamanager"));

        committed.Should().Be(BashCompletionWriter.Write(Root), "packaging/bash-completion/hamanager must be regenerated: packaging/generate-docs");
    }

    [Fact]
    public void ManPage_ListsEveryCommandAndExitCode()
    {
        var page = ManPageWriter.Write(Root);

        var commands = CommandTree.Commands(Root).Where(c => c.Action is not null).Select(CommandTree.Path).ToList();
        commands.Should().Contain(["bootstrap", "watch", "notify keepalived", "notify repmgr", "status", "db uri", "db psql", "sync wait",
            "history", "config show", "config set", "maintenance on", "maintenance off", "node remove", "node reinit", "switchover", "drill", "join-token create"]);
        foreach (var command in commands) page.Should().Contain($".SS \"{command.Replace("-", "\\-", StringComparison.Ordinal)}\"\n");
        foreach (var (code, _) in ExitCodes.All) page.Should().Contain($".TP\n.B {code}\n");
        page.Should().NotContain($".SS \"{GenerateCommand.Name}", "the generator is hidden");
    }

    [Fact]
    public void BashCompletion_MentionsEveryCommandAndOption()
    {
        var script = BashCompletionWriter.Write(Root);

        foreach (var command in CommandTree.Commands(Root))
        {
            script.Should().Contain(command.Name);
            foreach (var option in CommandTree.OwnOptions(command)) script.Should().Contain(option.Name);
        }

        script.Should().Contain("    '') echo 'bootstrap watch notify status db sync history config maintenance node switchover drill join-token postgres' ;;", "the hidden generator is not offered");
    }

    [Theory]
    [InlineData("hamanager st", "status")]
    [InlineData("hamanager sync ", "wait")]
    [InlineData("hamanager db uri --via ", "local vip")]
    [InlineData("hamanager --config /etc/hamanager.yaml db psql --v", "--via --verbose")]
    [InlineData("hamanager bootstrap --join 10.0.0.1 --vi", "--virtual-ip")]
    [InlineData("hamanager status --js", "--json")]
    [InlineData("hamanager maintenance ", "on off")]
    [InlineData("hamanager node ", "remove reinit")]
    [InlineData("hamanager config set --d", "--dry-run")]
    [InlineData("hamanager drill --k", "--kill-primary")]
    public async Task BashCompletion_InBash_CompletesCommandsOptionsAndChoices(string line, string expected)
    {
        var words = line.Split(' ');
        var script = BashCompletionWriter.Write(Root);
        var program = script + $"\nCOMP_WORDS=({string.Join(' ', words.Select(w => $"'{w}'"))}); COMP_CWORD={words.Length - 1}; _hamanager; echo \"${{COMPREPLY[*]}}\"\n";
        var bash = new ProcessStartInfo("bash", ["--norc", "--noprofile", "-c", program]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(bash)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        errors.Should().BeEmpty();
        output.Trim().Should().Be(expected);
    }
}
