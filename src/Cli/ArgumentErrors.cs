using System.CommandLine;
using System.CommandLine.Parsing;

namespace HaManager.Cli;

/// <summary>
/// How `hamanager` reports a command line it cannot parse: like the tools operators know (grep, git, consul),
/// the problem and a one-line hint on stderr, exit 2, and nothing on stdout, so `hamanager status --jsn | jq`
/// fails loudly instead of feeding help text to jq.
/// </summary>
public static class ArgumentErrors
{
    public static int Report(ParseResult parse, TextWriter error)
    {
        foreach (var message in parse.Errors.Select(Describe).Distinct(StringComparer.Ordinal))
            error.WriteLine($"hamanager: error: {message}{Suggestion(parse, message)}");
        error.WriteLine($"Try '{CommandPath(parse.CommandResult.Command)} --help'.");
        return ExitCodes.InvalidInput;
    }

    /// <summary>One line per error, naming the option it is about ("--via: Argument 'x' not recognized. Must be one of: 'local', 'vip'").</summary>
    private static string Describe(ParseError error)
    {
        var lines = error.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // System.CommandLine lists allowed values on tab-indented lines of their own.
        var message = lines[0].TrimEnd() + string.Join(",", lines.Skip(1).Select(l => " " + l.Trim()));
        var option = error.SymbolResult switch
        {
            OptionResult result => result.Option,
            ArgumentResult { Parent: OptionResult result } => result.Option,
            _ => null,
        };
        message = message.TrimEnd('.');
        return option is not null && !message.Contains(option.Name, StringComparison.Ordinal) ? $"{option.Name}: {message}" : message;
    }

    /// <summary>"hamanager sync wait": the full command as typed, for the hint.</summary>
    public static string CommandPath(Command command)
    {
        var names = new List<string>();
        for (Symbol? symbol = command; symbol is Command current; symbol = current.Parents.FirstOrDefault())
            names.Add(current is RootCommand ? "hamanager" : current.Name);
        names.Reverse();
        return string.Join(' ', names);
    }

    /// <summary>" (did you mean --json?)" for a near miss among the command's options and subcommands.</summary>
    private static string Suggestion(ParseResult parse, string message)
    {
        var unmatched = parse.UnmatchedTokens.FirstOrDefault(t => message.Contains($"'{t}'", StringComparison.Ordinal));
        if (unmatched is null) return "";
        var command = parse.CommandResult.Command;
        var candidates = command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name)
            .Concat(command.Options.Where(o => !o.Hidden).Select(o => o.Name))
            .Concat(command.Parents.OfType<Command>().SelectMany(p => p.Options).Where(o => o.Recursive).Select(o => o.Name));
        var best = candidates.Select(c => (Name: c, Distance: Distance(unmatched, c))).Where(c => c.Distance <= 2).OrderBy(c => c.Distance).FirstOrDefault();
        return best.Name is null ? "" : $" (did you mean {best.Name}?)";
    }

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }

        return previous[b.Length];
    }
}
