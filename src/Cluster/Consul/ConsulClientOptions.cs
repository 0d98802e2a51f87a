namespace HaManager.Cluster.Consul;

public sealed record ConsulClientOptions
{
    public Uri Address { get; init; } = new("http://127.0.0.1:8500");

    /// <summary>Sent as X-Consul-Token when set.</summary>
    public string? Token { get; init; }

    /// <summary>Client-side limit for non-blocking calls; blocking calls add their wait time on top.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Sent as ?dc= when set; null means the agent's own datacenter.</summary>
    public string? Datacenter { get; init; }

    /// <summary>Trust and client certificate for an https address; null = the system trust store, no client certificate.</summary>
    public ConsulTlsOptions? Tls { get; init; }

    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        // Options get logged; the token must not be.
        builder.Append("Address = ").Append(Address).Append(", Token = ").Append(string.IsNullOrEmpty(Token) ? "(none)" : "(hidden)")
            .Append(", RequestTimeout = ").Append(RequestTimeout).Append(", Datacenter = ").Append(Datacenter).Append(", Tls = ").Append(Tls);
        return true;
    }
}
