using HaManager.Bootstrap;
using Spectre.Console;

namespace HaManager.Cli.Terminal;

/// <summary>A Spectre.Console spinner on standard error; used only when stderr is a terminal, and cleared when the wait ends.</summary>
public sealed class TerminalWaitIndicator(TextWriter error) : IWaitIndicator
{
    public Task<T> WhileAsync<T>(string description, Func<IProgress<string>, Task<T>> wait)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(error),
            Ansi = AnsiSupport.Detect,
            Interactive = InteractionSupport.Detect,
        });
        // One line: a status that wraps would leave its tail behind when Spectre redraws the spinner.
        var room = Math.Max(10, console.Profile.Width - description.Length - 6);
        return console.Status()
            .Spinner(Spinner.Known.Dots)
            .StartAsync(Markup.Escape(description), context => wait(new StatusLine(context, description, room)));
    }

    /// <summary>Updates the spinner's text in place; the status context is read by Spectre's render loop, a plain field write suffices.</summary>
    private sealed class StatusLine(StatusContext context, string headline, int room) : IProgress<string>
    {
        public void Report(string value)
        {
            var line = value.ReplaceLineEndings(" ");
            if (line.Length > room) line = line[..(room - 1)] + "…";
            context.Status = $"{Markup.Escape(headline)} [grey]{Markup.Escape(line)}[/]";
        }
    }
}
