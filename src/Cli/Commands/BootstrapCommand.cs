using System.CommandLine;
using System.Text.Json;
using HaManager.Bootstrap;
using HaManager.Watchers.Processes;
using HaManager.Watchers.Services;

namespace HaManager.Cli.Commands;

public static class BootstrapCommand
{
    public static Command Create(CliServices services)
    {
        var join = new Option<string[]>("--join")
        {
            Description = "Address (IP, or IP:PORT of the Consul HTTPS API, 8501 by default) of any existing member; repeatable. Omit to initialize a new cluster.",
            HelpName = "ADDR",
            AllowMultipleArgumentsPerToken = true,
        };
        var virtualIp = new Option<string?>("--virtual-ip")
        {
            Description = "The cluster's virtual IP in CIDR form, e.g. 10.0.0.100/24. Required to initialize; when joining it must match the stored one.",
            HelpName = "CIDR",
        };
        var joinTokenFile = new Option<string?>("--join-token-file")
        {
            Description = "File holding the one-time join token made for this node on a member (`hamanager join-token create`); needed by the first --join, not by re-runs.",
            HelpName = "FILE",
        };
        var nodeName = new Option<string?>("--node-name") { Description = "This node's name (default: settings, then the short host name)", HelpName = "NAME" };
        var address = new Option<string?>("--address") { Description = "The IP address other members reach this node on (default: settings)", HelpName = "IP" };
        var json = OptionValues.Flag("--json", "Print the steps as they run on stderr, then one JSON summary (outcome, steps, error) on stdout, also when bootstrap fails");
        var command = new Command("bootstrap", "Initialize a new cluster on this machine, or join an existing one. Safe to re-run: it converges and never duplicates.")
        {
            join, joinTokenFile, virtualIp, nodeName, address, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var asJson = parse.GetValue(json);
            var output = parse.InvocationConfiguration.Output;
            var summary = new BootstrapSummary();
            var code = await CommandRunner.RunAsync(parse, async () =>
            {
                using var context = CliContext.Create(parse, daemon: false, parse.GetValue(nodeName), parse.GetValue(address), services);
                summary.Node = context.Settings.Node.Name;
                var request = new BootstrapRequest(parse.GetValue(join) ?? [], parse.GetValue(virtualIp), parse.GetValue(joinTokenFile));
                summary.Mode = request.Initializing ? "init" : "join";
                // With --json, stdout carries the summary alone; the running commentary moves to stderr.
                var progress = new BootstrapProgress(asJson ? context.Error : context.Out, context.Waits);
                summary.Progress = progress;
                var runner = new ProcessRunner(context.Logger);
                var serviceManager = ServiceManagerFactory.Create(context.Settings, runner, context.Logger);
                var workflow = new BootstrapWorkflow(context.Settings, context.Consul, serviceManager, runner, progress, context.Logger);
                await workflow.RunAsync(request, cancellationToken);
                (asJson ? context.Error : context.Out).WriteLine($"Node {context.Settings.Node.Name} is bootstrapped.");
                return ExitCodes.Ok;
            }, failed: (exitCode, message) => summary.Error = message);
            if (asJson)
            {
                summary.ExitCode = code;
                output.WriteLine(JsonSerializer.Serialize(summary.ToJson(), CliJson.Options));
            }

            return code;
        });
        return command;
    }
}
