using System.CommandLine;
using HaManager.Bootstrap;
using HaManager.Cli.Logging;
using HaManager.Cli.Terminal;
using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Settings;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace HaManager.Cli;

/// <summary>
/// Settings, logger, Consul endpoint and output streams for one invocation, built from the global options.
/// <see cref="Create"/> is for commands that act on this node and need its settings (node.name, node.address);
/// <see cref="CreateClient"/> is for commands that only read the cluster through Consul and run on any machine
/// with nothing but --consul or CONSUL_HTTP_ADDR.
/// </summary>
public sealed class CliContext : IDisposable
{
    private readonly Logger _logger;

    private CliContext(HaManagerSettings settings, ConsulClientOptions consul, ConsulClientOptions operationConsul, Logger logger, CliServices services,
        TextWriter output, TextWriter error)
    {
        Settings = settings;
        Consul = consul;
        OperationConsul = operationConsul;
        _logger = logger;
        Services = services;
        Out = output;
        Error = error;
        Keys = new KvKeys(settings.Consul.KvPrefix);
    }

    public HaManagerSettings Settings { get; }

    /// <summary>Consul's address, token and TLS after --consul, Consul's environment variables and the settings file.</summary>
    public ConsulClientOptions Consul { get; }

    /// <summary>As <see cref="Consul"/>, with the operations token (admin.token) when neither the environment nor the settings name one.</summary>
    public ConsulClientOptions OperationConsul { get; }

    public ILogger Logger => _logger;
    public KvKeys Keys { get; }
    public CliServices Services { get; }

    /// <summary>The command's output (stdout unless a test captures it).</summary>
    public TextWriter Out { get; }

    /// <summary>Errors, progress and the log (stderr unless a test captures it).</summary>
    public TextWriter Error { get; }

    /// <summary>True when this machine has node settings (node.address): it is, or is becoming, a cluster node.</summary>
    public bool OnNode => Settings.Node.Address.Length > 0;

    /// <summary>A spinner with a status line on a terminal; nothing when stderr is a file or a pipe.</summary>
    public IWaitIndicator Waits => Services.ErrorIsTerminal ? new TerminalWaitIndicator(Error) : IWaitIndicator.None;

    /// <param name="daemon">Daemons log information by default; one-shot commands only warnings, since they print their own progress.</param>
    public static CliContext Create(ParseResult parse, bool daemon, string? nodeName = null, string? address = null, CliServices? services = null) =>
        Build(parse, daemon, new SettingsOverrides { NodeName = nodeName, Address = address }, services ?? CliServices.Default);

    /// <summary>For read-only commands: no node settings needed; a settings file, when there is one, still applies.</summary>
    public static CliContext CreateClient(ParseResult parse, CliServices? services = null) =>
        Build(parse, daemon: false, new SettingsOverrides { RequireNode = false }, services ?? CliServices.Default);

    public ConsulClient CreateConsulClient(TimeSpan? requestTimeout = null) =>
        new(requestTimeout is null ? Consul : Consul with { RequestTimeout = requestTimeout.Value });

    public ClusterConnection ConnectConsul() => Services.ConnectConsul(Consul);

    /// <summary>
    /// For commands that change the cluster. Right after a Consul server dies (the very moment an operator runs
    /// `node remove` or a switchover) Consul may hold a request while the survivors elect a leader (up to its
    /// rpc_hold_timeout, 7 s), or leave one hanging on the dead leader's connection: each request may take longer, and a
    /// read that gets no answer is asked again (<see cref="PatientKvStore"/>), saying so on stderr.
    /// </summary>
    public ClusterConnection ConnectConsulForOperation()
    {
        var consul = OperationConsul;
        var connection = Services.ConnectConsul(consul.RequestTimeout >= OperationRequestTimeout ? consul : consul with { RequestTimeout = OperationRequestTimeout });
        return new ClusterConnection(new PatientKvStore(connection.Kv, notice => Error.WriteLine($"hamanager: {notice}")), connection.Probe, connection)
        {
            TakeLock = connection.TakeLock,
        };
    }

    /// <summary>Longer than Consul's rpc_hold_timeout (7 s), so a request held during an election gets its answer.</summary>
    public static readonly TimeSpan OperationRequestTimeout = TimeSpan.FromSeconds(10);

    public void Dispose() => _logger.Dispose();

    private static CliContext Build(ParseResult parse, bool daemon, SettingsOverrides overrides, CliServices services)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        var settings = SettingsLoader.Load(
            overrides with { ConfigPath = parse.GetValue(GlobalOptions.Config), DefaultConfigPath = services.DefaultConfigPath },
            services.Environment);
        var consul = ConsulEndpoint.Resolve(settings.Consul, parse.GetValue(GlobalOptions.Consul), services.Environment);
        var operationConsul = ConsulEndpoint.Resolve(settings.Consul, parse.GetValue(GlobalOptions.Consul), services.Environment, credential: ConsulCredential.Admin);
        var level = parse.GetValue(GlobalOptions.Verbose) ? LogEventLevel.Debug : daemon ? LogEventLevel.Information : LogEventLevel.Warning;
        var logger = CliLogger.Create(error, level, settings.Logging.Format, services.ErrorIsJournal());
        return new CliContext(settings, consul, operationConsul, logger, services, output, error);
    }
}
