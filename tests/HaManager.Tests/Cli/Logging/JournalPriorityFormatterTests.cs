using System.Text.Json;
using HaManager.Cli.Logging;
using HaManager.Cluster.Settings;
using Serilog.Events;
using Serilog.Parsing;

namespace HaManager.Tests.Cli.Logging;

public sealed class JournalPriorityFormatterTests
{
    [Theory]
    [InlineData(LogEventLevel.Verbose, 7)]
    [InlineData(LogEventLevel.Debug, 7)]
    [InlineData(LogEventLevel.Information, 6)]
    [InlineData(LogEventLevel.Warning, 4)]
    [InlineData(LogEventLevel.Error, 3)]
    [InlineData(LogEventLevel.Fatal, 2)]
    public void Format_UnderJournald_PrefixesSystemdPriority(LogEventLevel level, int priority)
    {
        var line = Format(LoggingOptions.Plain, journal: true, Event(level, "rendered {File}", "keepalived.conf"));

        line.Should().Be($"<{priority}>{LevelText(level)} rendered keepalived.conf\n", "journald stamps the time itself");
    }

    [Fact]
    public void Format_ExceptionUnderJournald_PrefixesEveryLine()
    {
        var exception = CaughtException();
        var text = Format(LoggingOptions.Plain, journal: true, Event(LogEventLevel.Error, "render failed", exception: exception));

        var lines = text.TrimEnd('\n').Split('\n');
        lines.Length.Should().BeGreaterThan(1, "the stack trace follows the message");
        lines.Should().OnlyContain(l => l.StartsWith("<3>", StringComparison.Ordinal), "journald reads every line as a record of its own");
    }

    [Fact]
    public void Format_PlainOutsideJournald_HasTimestampAndNoPriority()
    {
        var line = Format(LoggingOptions.Plain, journal: false, Event(LogEventLevel.Warning, "kept the current files"));

        line.Should().MatchRegex(@"^\d\d:\d\d:\d\d\.\d{3} WRN kept the current files\n$");
    }

    [Fact]
    public void Format_Json_IsOneCompactJsonObjectPerLine()
    {
        var line = Format(LoggingOptions.Json, journal: false, Event(LogEventLevel.Warning, "could not read {Key}", "hamanager/nodes/"));

        line.Should().EndWith("\n").And.NotContain("\n\n");
        var json = JsonDocument.Parse(line).RootElement;
        json.GetProperty("@l").GetString().Should().Be("Warning");
        json.GetProperty("@m").GetString().Should().Be("could not read \"hamanager/nodes/\"");
        json.GetProperty("Key").GetString().Should().Be("hamanager/nodes/");
    }

    [Fact]
    public void Format_JsonUnderJournald_KeepsThePriorityPrefix()
    {
        var line = Format(LoggingOptions.Json, journal: true, Event(LogEventLevel.Error, "failed"));

        line.Should().StartWith("<3>{");
        JsonDocument.Parse(line[3..]).RootElement.GetProperty("@l").GetString().Should().Be("Error");
    }

    private static string Format(string format, bool journal, LogEvent logEvent)
    {
        var output = new StringWriter();
        CliLogger.Formatter(format, journal).Format(logEvent, output);
        return output.ToString();
    }

    private static LogEvent Event(LogEventLevel level, string template, string? value = null, Exception? exception = null)
    {
        var parsed = new MessageTemplateParser().Parse(template);
        var properties = parsed.Tokens.OfType<PropertyToken>()
            .Select(t => new LogEventProperty(t.PropertyName, new ScalarValue(value)));
        return new LogEvent(DateTimeOffset.Now, level, exception, parsed, properties);
    }

    private static string LevelText(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose => "VRB",
        LogEventLevel.Debug => "DBG",
        LogEventLevel.Information => "INF",
        LogEventLevel.Warning => "WRN",
        LogEventLevel.Error => "ERR",
        _ => "FTL",
    };

    private static Exception CaughtException()
    {
        try
        {
            throw new InvalidOperationException("template 'keepalived.conf' failed");
        }
        catch (InvalidOperationException e)
        {
            return e;
        }
    }
}
