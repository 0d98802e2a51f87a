using System.CommandLine;
using HaManager.Cli;

namespace HaManager.Tests.Cli;

/// <summary>One `hamanager` invocation in process: the exit code and what went to stdout and stderr.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Error)
{
    public static async Task<CliRun> RunAsync(CliServices services, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await HaManagerCli.InvokeAsync(args, services, new InvocationConfiguration { Output = output, Error = error });
        return new CliRun(code, output.ToString(), error.ToString());
    }

    /// <summary>Services for a machine without node settings: no settings file anywhere, nothing from the environment.</summary>
    public static CliServices Workstation(string missingSettingsFile, Func<string, string?>? environment = null) => new()
    {
        Environment = environment ?? (_ => null),
        DefaultConfigPath = missingSettingsFile,
        ErrorIsTerminal = false,
        ErrorIsJournal = () => false,
    };

    /// <summary>A workstation run by "alice" whose Consul is <paramref name="kv"/>.</summary>
    public static CliServices AgainstKv(string missingSettingsFile, HaManager.Cluster.Consul.IKvStore kv) =>
        Workstation(missingSettingsFile, name => name == "USER" ? "alice" : null) with { ConnectConsul = _ => new ClusterConnection(kv, probe: null) };

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}--- stderr\n{Error}";
}
