using HaManager.Bootstrap;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Settings;

namespace HaManager.Cli.Commands;

/// <summary>Maps failures to one clear message on stderr and a meaningful exit code.</summary>
public static class CommandRunner
{
    public static async Task<int> RunAsync(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (SettingsException e)
        {
            return Fail(ExitCodes.InvalidInput, e.Message);
        }
        catch (BootstrapException e)
        {
            return Fail(e.InvalidInput ? ExitCodes.InvalidInput : ExitCodes.Failed, e.Message);
        }
        catch (FormatException e)
        {
            return Fail(ExitCodes.InvalidInput, e.Message);
        }
        catch (ConsulUnavailableException e)
        {
            return Fail(ExitCodes.ConsulUnavailable, e.Message);
        }
        catch (Exception e) when (e is ConsulException or KvValueException or IOException or TimeoutException
                                      or InvalidOperationException or UnauthorizedAccessException
                                      or HaManager.Watchers.Services.ServiceException or Npgsql.NpgsqlException
                                      or HaManager.Watchers.Syncthing.SyncthingApiException)
        {
            return Fail(ExitCodes.Failed, e.Message);
        }
        catch (OperationCanceledException)
        {
            return Fail(ExitCodes.Failed, "interrupted");
        }
        catch (Exception e)
        {
            // A bug, not an operator error: keep the stack trace for the report.
            return Fail(ExitCodes.Failed, $"unexpected {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
        }
    }

    private static int Fail(int code, string message)
    {
        Console.Error.WriteLine($"hamanager: error: {message}");
        return code;
    }
}
