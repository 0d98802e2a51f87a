using HaManager.Cluster.Settings;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;

namespace HaManager.Cli.Logging;

/// <summary>The log of one invocation: stderr only, so stdout stays for the command's output.</summary>
public static class CliLogger
{
    public static Logger Create(TextWriter error, LogEventLevel level, string format, bool journal)
    {
        return new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .WriteTo.Sink(new TextWriterSink(Formatter(format, journal), error))
            .CreateLogger();
    }

    public static ITextFormatter Formatter(string format, bool journal)
    {
        ITextFormatter formatter = format == LoggingOptions.Json
            ? JsonFormatter()
            // journald stamps every record itself; anywhere else (a terminal, the lab's log files) the line carries the time.
            : new MessageTemplateTextFormatter(journal
                ? "{Level:u3} {Message:lj}{NewLine}{Exception}"
                : "{Timestamp:HH:mm:ss.fff} {Level:u3} {Message:lj}{NewLine}{Exception}", System.Globalization.CultureInfo.InvariantCulture);
        return journal ? new JournalPriorityFormatter(formatter) : formatter;
    }

    /// <summary>Apart, so the notify hooks (plain format, a start-up budget) never load Serilog.Formatting.Compact.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static ITextFormatter JsonFormatter() => new RenderedCompactJsonFormatter();
}
