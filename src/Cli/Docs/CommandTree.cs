using System.CommandLine;
using System.CommandLine.Completions;
using System.CommandLine.Help;

namespace HaManager.Cli.Docs;

/// <summary>The visible command tree as help shows it, for the generators of the man page and the bash completion.</summary>
public static class CommandTree
{
    /// <summary>Every visible command below the root, depth first in definition order ("bootstrap", "notify", "notify keepalived", …).</summary>
    public static IEnumerable<Command> Commands(Command root)
    {
        foreach (var command in root.Subcommands.Where(c => !c.Hidden))
        {
            yield return command;
            foreach (var child in Commands(command)) yield return child;
        }
    }

    /// <summary>"notify keepalived": the words after "hamanager" that select the command; empty for the root.</summary>
    public static string Path(Command command) => ArgumentErrors.CommandPath(command) is var full && full.Length > "hamanager".Length
        ? full["hamanager ".Length..]
        : "";

    /// <summary>The options a command accepts: its own, then the recursive ones of its ancestors (--config, --help, …).</summary>
    public static IReadOnlyList<Option> Options(Command command)
    {
        var own = command.Options.Where(o => !o.Hidden).ToList();
        var inherited = Ancestors(command).SelectMany(a => a.Options).Where(o => o.Recursive && !o.Hidden && !own.Contains(o));
        return own.Concat(inherited).ToList();
    }

    /// <summary>The options that belong to the command itself and not to every command.</summary>
    public static IReadOnlyList<Option> OwnOptions(Command command) =>
        command.Options.Where(o => !o.Hidden && !(o.Recursive && command is not RootCommand) && o is not HelpOption).ToList();

    public static bool TakesValue(Option option) => option.Arity.MaximumNumberOfValues > 0;

    public static bool Repeatable(Option option) => option.Arity.MaximumNumberOfValues > 1;

    /// <summary>The fixed values an option accepts (AcceptOnlyFromAmong); empty when any value goes.</summary>
    public static IReadOnlyList<string> Choices(Option option) =>
        option.GetCompletions(CompletionContext.Empty).Select(c => c.Label).ToList();

    /// <summary>What help shows after the option: its HelpName (FILE, URL, …), its choices (local|vip), else its name in capitals.</summary>
    public static string Placeholder(Option option) =>
        option.HelpName ?? (Choices(option) is { Count: > 0 } choices ? string.Join('|', choices) : option.Name.TrimStart('-').ToUpperInvariant());

    /// <summary>Every name of an option, the long one first: "--verbose", "-v".</summary>
    public static IEnumerable<string> Names(Option option) =>
        new[] { option.Name }.Concat(option.Aliases.Where(a => a != option.Name && a != "-?" && a != "/?" && a != "/h"));

    private static IEnumerable<Command> Ancestors(Command command)
    {
        for (var parent = command.Parents.OfType<Command>().FirstOrDefault(); parent is not null; parent = parent.Parents.OfType<Command>().FirstOrDefault())
            yield return parent;
    }
}
