using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace HaManager.Tests.Support;

/// <summary>A Serilog logger that keeps rendered messages so tests can assert what an operator would read.</summary>
public sealed class TestLogger : ILogEventSink
{
    private readonly List<string> _messages = [];

    public TestLogger() => Logger = new LoggerConfiguration().MinimumLevel.Debug().WriteTo.Sink(this).CreateLogger();

    public ILogger Logger { get; }

    public IReadOnlyList<string> Messages
    {
        get { lock (_messages) return _messages.ToArray(); }
    }

    public void Emit(LogEvent logEvent)
    {
        lock (_messages) _messages.Add($"{logEvent.Level}: {logEvent.RenderMessage()}");
    }
}
