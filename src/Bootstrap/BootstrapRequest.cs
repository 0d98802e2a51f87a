namespace HaManager.Bootstrap;

/// <param name="Join">Addresses of existing members (IP or IP:port of their Consul HTTP API); empty to initialize.</param>
public sealed record BootstrapRequest(IReadOnlyList<string> Join, string? VirtualIp)
{
    public bool Initializing => Join.Count == 0;
}
