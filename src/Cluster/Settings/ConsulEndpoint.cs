using HaManager.Cluster.Consul;

namespace HaManager.Cluster.Settings;

/// <summary>
/// Where and how to reach Consul, in the order DESIGN.md §4 gives: --consul, then Consul's own environment
/// variables (CONSUL_HTTP_ADDR, CONSUL_HTTP_TOKEN, CONSUL_HTTP_TOKEN_FILE, CONSUL_CACERT, …, read by
/// <see cref="ConsulEnvironment"/> alone), then the settings file, then http://127.0.0.1:8500. Without a token
/// in the settings file, the token is the one bootstrap left in consul.secrets_dir for <see cref="ConsulCredential"/>
/// (when this user may read it); an https address is checked against the cluster CA there.
/// </summary>
public static class ConsulEndpoint
{
    /// <param name="commandLineAddress">--consul: read like CONSUL_HTTP_ADDR ("host:port" or a URL), and winning over it.</param>
    /// <exception cref="SettingsException">--consul or a variable holds something unusable; the message names which.</exception>
    public static ConsulClientOptions Resolve(ConsulOptions file, string? commandLineAddress, Func<string, string?>? environment = null,
        TimeSpan? requestTimeout = null, ConsulCredential credential = ConsulCredential.Node)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var secrets = ConsulSecretFiles.Of(file);
        var fromFile = new ConsulClientOptions
        {
            Address = Uri.TryCreate(file.Address, UriKind.Absolute, out var address) ? address : new Uri(ConsulOptions.DefaultAddress),
            Token = file.Token.Length > 0 ? file.Token : StoredToken(secrets, credential),
            RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(5),
            Tls = File.Exists(secrets.CaCertificate) ? new ConsulTlsOptions { CaFile = secrets.CaCertificate } : null,
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

    private static string? StoredToken(ConsulSecretFiles secrets, ConsulCredential credential) => credential switch
    {
        ConsulCredential.Admin => ConsulSecretFiles.ReadToken(secrets.AdminToken) ?? ConsulSecretFiles.ReadToken(secrets.NodeToken),
        _ => ConsulSecretFiles.ReadToken(secrets.NodeToken),
    };
}

/// <summary>Which of the tokens bootstrap stored a command uses when neither the environment nor the settings name one.</summary>
public enum ConsulCredential
{
    /// <summary>The node's own token: daemons, hooks, reads.</summary>
    Node,

    /// <summary>The operations token (hamanager-admin): commands that change the cluster; the node token when it is missing.</summary>
    Admin,
}
