namespace HaManager.Bootstrap;

/// <param name="Join">Addresses of existing members (IP or IP:port of their Consul HTTPS API); empty to initialize.</param>
/// <param name="JoinTokenFile">The one-time join token (`hamanager join-token create`), needed by a node joining for the first time.</param>
public sealed record BootstrapRequest(IReadOnlyList<string> Join, string? VirtualIp, string? JoinTokenFile = null)
{
    public bool Initializing => Join.Count == 0;
}
