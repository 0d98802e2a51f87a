using Serilog.Events;
using Serilog.Formatting;

namespace HaManager.Cli.Logging;

/// <summary>
/// Puts systemd's "&lt;N&gt;" priority prefix (sd-daemon(3)) before every line another formatter writes, so
/// `journalctl -p warning` filters HaManager's lines. Every line of a multi-line event (an exception's stack)
/// gets the prefix: journald reads each line as a record of its own.
/// </summary>
public sealed class JournalPriorityFormatter(ITextFormatter inner) : ITextFormatter
{
    public static int Priority(LogEventLevel level) => level switch
    {
        LogEventLevel.Fatal => 2,
        LogEventLevel.Error => 3,
        LogEventLevel.Warning => 4,
        LogEventLevel.Information => 6,
        _ => 7,
    };

    public void Format(LogEvent logEvent, TextWriter output)
    {
        using var buffer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        inner.Format(logEvent, buffer);
        var prefix = $"<{Priority(logEvent.Level)}>";
        foreach (var line in buffer.ToString().Split('\n'))
        {
            if (line.Length == 0) continue;
            output.Write(prefix);
            output.Write(line.TrimEnd('\r'));
            output.Write('\n');
        }
    }
}
