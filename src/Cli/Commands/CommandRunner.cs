using System.CommandLine;
using HaManager.Bootstrap;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Settings;

namespace HaManager.Cli.Commands;

/// <summary>Maps failures to one clear message on stderr and a meaningful exit code.</summary>
public static class CommandRunner
{
    public static Task<int> RunAsync(Func<Task<int>> action) => RunAsync(Console.Error, action);

    public static Task<int> RunAsync(ParseResult parse, Func<Task<int>> action, Action<int, string>? failed = null) =>
        RunAsync(parse.InvocationConfiguration.Error, action, failed);

    /// <summary>For commands that only talk to the cluster through Consul (no node settings needed): context and connection (with the operations' patience for a Raft election), then the action.</summary>
    public static Task<int> RunOnClusterAsync(ParseResult parse, CliServices services, Func<CliContext, ClusterConnection, Task<int>> action) =>
        RunAsync(parse, async () =>
        {
            using var context = CliContext.CreateClient(parse, services);
            using var cluster = context.ConnectConsulForOperation();
            return await action(context, cluster);
        });

    /// <param name="failed">Told the exit code and message of a failure, e.g. to put them in a --json summary as well.</param>
    public static async Task<int> RunAsync(TextWriter error, Func<Task<int>> action, Action<int, string>? failed = null)
    {
        var (code, message) = await CatchAsync(action);
        if (message is null) return code;
        failed?.Invoke(code, message);
        error.WriteLine($"hamanager: error: {message}");
        return code;
    }

    private static async Task<(int Code, string? Message)> CatchAsync(Func<Task<int>> action)
    {
        try
        {
            return (await action(), null);
        }
        catch (SettingsException e)
        {
            return (ExitCodes.InvalidInput, e.Message);
        }
        catch (BootstrapException e)
        {
            return (e.InvalidInput ? ExitCodes.InvalidInput : ExitCodes.Failed, e.Message);
        }
        catch (HaManager.Cli.Nodes.NodeRequestRefusedException e)
        {
            return (ExitCodes.Refused, e.Message);
        }
        catch (FormatException e)
        {
            return (ExitCodes.InvalidInput, e.Message);
        }
        catch (ConsulUnavailableException e)
        {
            return (ExitCodes.ConsulUnavailable, e.Message);
        }
        catch (Exception e) when (e is ConsulException or KvValueException or IOException or TimeoutException
                                      or InvalidOperationException or UnauthorizedAccessException
                                      or HaManager.Watchers.Services.ServiceException or Npgsql.NpgsqlException
                                      or HaManager.Watchers.Syncthing.SyncthingApiException)
        {
            return (ExitCodes.Failed, e.Message);
        }
        catch (OperationCanceledException)
        {
            return (ExitCodes.Failed, "interrupted");
        }
        catch (Exception e)
        {
            // A bug, not an operator error: keep the stack trace for the report.
            return (ExitCodes.Failed, $"internal error (please report it with this text): {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
        }
    }
}
