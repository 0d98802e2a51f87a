using System.CommandLine;
using HaManager.Cli;
using HaManager.Cli.Commands;

var root = new RootCommand("hamanager — installs and configures a highly available manager cluster (Consul KV is the source of truth).")
{
    GlobalOptions.Config,
    GlobalOptions.Consul,
    GlobalOptions.Verbose,
};
root.Subcommands.Add(BootstrapCommand.Create());
root.Subcommands.Add(WatchCommand.Create());
root.Subcommands.Add(NotifyCommand.Create());
root.Subcommands.Add(StatusCommand.Create());
root.Subcommands.Add(DbCommand.Create());
root.Subcommands.Add(SyncCommand.Create());
root.Subcommands.Add(PostgresCommand.Create());
return await root.Parse(args).InvokeAsync();
