using System.CommandLine;
using HaManager.Bootstrap;
using HaManager.Watchers.Processes;
using HaManager.Watchers.Services;

namespace HaManager.Cli.Commands;

public static class BootstrapCommand
{
    public static Command Create()
    {
        var join = new Option<string[]>("--join")
        {
            Description = "Address (IP or IP:PORT of the Consul HTTP API) of any existing member; repeatable. Omit to initialize a new cluster.",
            AllowMultipleArgumentsPerToken = true,
        };
        var virtualIp = new Option<string?>("--virtual-ip") { Description = "The cluster's virtual IP in CIDR form, e.g. 10.0.0.100/24. Required to initialize; when joining it must match the stored one." };
        var nodeName = new Option<string?>("--node-name") { Description = "This node's name (default: settings, then the short host name)" };
        var address = new Option<string?>("--address") { Description = "The IP address other members reach this node on (default: settings)" };
        var command = new Command("bootstrap", "Initialize a new cluster on this machine, or join an existing one. Safe to re-run: it converges and never duplicates.")
        {
            join, virtualIp, nodeName, address,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            using var context = CliContext.Create(parse, daemon: false, parse.GetValue(nodeName), parse.GetValue(address));
            var runner = new ProcessRunner(context.Logger);
            var services = ServiceManagerFactory.Create(context.Settings, runner, context.Logger);
            var workflow = new BootstrapWorkflow(context.Settings, services, runner, new BootstrapProgress(Console.Out), context.Logger);
            await workflow.RunAsync(new BootstrapRequest(parse.GetValue(join) ?? [], parse.GetValue(virtualIp)), cancellationToken);
            Console.Out.WriteLine($"Node {context.Settings.Node.Name} is bootstrapped.");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
