using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace HaManager.Cli.Logging;

/// <summary>Writes each event whole to one writer (the invocation's stderr), so lines of concurrent events never interleave.</summary>
public sealed class TextWriterSink(ITextFormatter formatter, TextWriter output) : ILogEventSink
{
    private readonly Lock _gate = new();

    public void Emit(LogEvent logEvent)
    {
        using var buffer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        formatter.Format(logEvent, buffer);
        lock (_gate)
        {
            output.Write(buffer.ToString());
            output.Flush();
        }
    }
}
