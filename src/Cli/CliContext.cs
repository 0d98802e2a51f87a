using System.CommandLine;
using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Settings;
using Serilog;
using Serilog.Events;

namespace HaManager.Cli;

/// <summary>Settings, logger and Consul client for one invocation, built from the global options.</summary>
public sealed class CliContext : IDisposable
{
    private CliContext(HaManagerSettings settings, ILogger logger)
    {
        Settings = settings;
        Logger = logger;
        Keys = new KvKeys(settings.Consul.KvPrefix);
    }

    public HaManagerSettings Settings { get; }
    public ILogger Logger { get; }
    public KvKeys Keys { get; }

    /// <param name="daemon">Daemons log information by default; one-shot commands only warnings, since they print their own progress.</param>
    public static CliContext Create(ParseResult parse, bool daemon, string? nodeName = null, string? address = null)
    {
        var verbose = parse.GetValue(GlobalOptions.Verbose);
        var level = verbose ? LogEventLevel.Debug : daemon ? LogEventLevel.Information : LogEventLevel.Warning;
        // Plain lines on stderr, so stdout stays for command output. journald (JOURNAL_STREAM is set when
        // stderr goes to it) adds its own timestamps; anywhere else, such as the lab's log files, the line carries one.
        var underJournald = Environment.GetEnvironmentVariable("JOURNAL_STREAM") is { Length: > 0 };
        var logger = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .WriteTo.Console(
                outputTemplate: daemon && underJournald ? "{Level:u3} {Message:lj}{NewLine}{Exception}" : "{Timestamp:HH:mm:ss.fff} {Level:u3} {Message:lj}{NewLine}{Exception}",
                standardErrorFromLevel: LogEventLevel.Verbose)
            .CreateLogger();
        var settings = SettingsLoader.Load(new SettingsOverrides
        {
            ConfigPath = parse.GetValue(GlobalOptions.Config),
            ConsulAddress = parse.GetValue(GlobalOptions.Consul),
            NodeName = nodeName,
            Address = address,
        });
        return new CliContext(settings, logger);
    }

    public ConsulClient CreateConsulClient(TimeSpan? requestTimeout = null) => new(new ConsulClientOptions
    {
        Address = new Uri(Settings.Consul.Address),
        Token = Settings.Consul.Token.Length == 0 ? null : Settings.Consul.Token,
        RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(5),
    });

    public void Dispose() => (Logger as IDisposable)?.Dispose();
}
