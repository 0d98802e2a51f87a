using HaManager.Cluster.Consul;

namespace HaManager.Cluster.Settings;

/// <summary>
/// Where and how to reach Consul, in the order DESIGN.md §4 gives: --consul, then Consul's own environment
/// variables (CONSUL_HTTP_ADDR, CONSUL_HTTP_TOKEN, CONSUL_HTTP_TOKEN_FILE, CONSUL_CACERT, …, read by
/// <see cref="ConsulEnvironment"/> alone), then the settings file, then http://127.0.0.1:8500.
/// </summary>
public static class ConsulEndpoint
{
    /// <param name="commandLineAddress">--consul: read like CONSUL_HTTP_ADDR ("host:port" or a URL), and winning over it.</param>
    /// <exception cref="SettingsException">--consul or a variable holds something unusable; the message names which.</exception>
    public static ConsulClientOptions Resolve(ConsulOptions file, string? commandLineAddress, Func<string, string?>? environment = null,
        TimeSpan? requestTimeout = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var fromFile = new ConsulClientOptions
        {
            Address = Uri.TryCreate(file.Address, UriKind.Absolute, out var address) ? address : new Uri(ConsulOptions.DefaultAddress),
            Token = file.Token.Length == 0 ? null : file.Token,
            RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(5),
        };
        var flag = string.IsNullOrEmpty(commandLineAddress) ? null : commandLineAddress;
        string? Variables(string name) => name == ConsulEnvironment.HttpAddress && flag is not null ? flag : environment(name);
        try
        {
            return ConsulEnvironment.Apply(fromFile, Variables);
        }
        catch (ArgumentException e)
        {
            var message = e.Message.Split(" (Parameter", 2)[0];
            // The flag was read under CONSUL_HTTP_ADDR's name; say which one the operator actually gave.
            if (flag is not null && message.StartsWith($"{ConsulEnvironment.HttpAddress}={flag}", StringComparison.Ordinal))
                message = "--consul " + message[(ConsulEnvironment.HttpAddress.Length + 1)..];
            throw new SettingsException(message, e);
        }
    }
}
