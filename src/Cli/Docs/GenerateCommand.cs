using System.CommandLine;

namespace HaManager.Cli.Docs;

/// <summary>
/// `hamanager __generate man|bash-completion|commands`, hidden from --help: packaging/build writes the man page
/// and the completion script with it, from the very definitions the installed binary parses with.
/// </summary>
public static class GenerateCommand
{
    public const string Name = "__generate";

    public static Command Create()
    {
        var what = new Argument<string>("WHAT") { Description = "man, bash-completion or commands (one command path per line)" };
        what.AcceptOnlyFromAmong("man", "bash-completion", "commands");
        var command = new Command(Name, "Write the man page, the bash completion script or the list of commands to stdout (for packaging).")
        {
            what,
        };
        command.Hidden = true;
        command.SetAction(parse =>
        {
            var root = (RootCommand)parse.RootCommandResult.Command;
            var output = parse.InvocationConfiguration.Output;
            output.Write(parse.GetValue(what) switch
            {
                "man" => ManPageWriter.Write(root),
                "bash-completion" => BashCompletionWriter.Write(root),
                _ => string.Concat(CommandTree.Commands(root).Select(c => CommandTree.Path(c) + "\n")),
            });
            return ExitCodes.Ok;
        });
        return command;
    }
}
