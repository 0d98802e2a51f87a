using System.CommandLine;
using System.CommandLine.Invocation;
using HaManager.Cli.Commands;
using HaManager.Cli.Docs;

namespace HaManager.Cli;

/// <summary>The `hamanager` command line: one tree of command definitions, from which help, the man page and the bash completion all come.</summary>
public static class HaManagerCli
{
    public const string Summary = "hamanager — installs and configures a highly available manager cluster (Consul KV is the source of truth).";

    public static RootCommand CreateRootCommand(CliServices? services = null)
    {
        services ??= CliServices.Default;
        var root = new RootCommand(Summary)
        {
            GlobalOptions.Config,
            GlobalOptions.Consul,
            GlobalOptions.Verbose,
        };
        root.Subcommands.Add(BootstrapCommand.Create(services));
        root.Subcommands.Add(WatchCommand.Create());
        root.Subcommands.Add(NotifyCommand.Create());
        root.Subcommands.Add(StatusCommand.Create(services));
        root.Subcommands.Add(DbCommand.Create(services));
        root.Subcommands.Add(SyncCommand.Create(services));
        root.Subcommands.Add(HistoryCommand.Create(services));
        root.Subcommands.Add(ConfigCommand.Create(services));
        root.Subcommands.Add(MaintenanceCommand.Create(services));
        root.Subcommands.Add(NodeCommand.Create(services));
        root.Subcommands.Add(SwitchoverCommand.Create(services));
        root.Subcommands.Add(DrillCommand.Create(services));
        root.Subcommands.Add(JoinTokenCommand.Create(services));
        root.Subcommands.Add(PostgresCommand.Create());
        root.Subcommands.Add(GenerateCommand.Create());
        return root;
    }

    /// <summary>Parses and runs one command line. A command line that does not parse never reaches a command: see <see cref="ArgumentErrors"/>.</summary>
    public static async Task<int> InvokeAsync(string[] args, CliServices? services = null, InvocationConfiguration? configuration = null,
        CancellationToken cancellationToken = default)
    {
        configuration ??= new InvocationConfiguration();
        var parse = CreateRootCommand(services).Parse(args);
        // --help and --version clear parse errors, so a ParseErrorAction here means the command line is wrong.
        if (parse.Action is ParseErrorAction) return ArgumentErrors.Report(parse, configuration.Error);
        return await parse.InvokeAsync(configuration, cancellationToken);
    }
}
