namespace HaManager.Cluster.Consul;

/// <summary>A token to create. Policies are linked by name; Consul resolves them.</summary>
public sealed record AclTokenRequest
{
    public required string Description { get; init; }

    public required IReadOnlyList<string> PolicyNames { get; init; }

    /// <summary>A token that exists only in this datacenter (Consul's "local" tokens).</summary>
    public bool Local { get; init; }

    /// <summary>Consul deletes the token after this long (1 minute to 24 hours in Consul 1.8); null = never.</summary>
    public TimeSpan? ExpirationTtl { get; init; }

    /// <summary>A SecretID chosen by the caller (a UUID); null lets Consul pick a random one.</summary>
    public string? SecretId { get; init; }

    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Description = ").Append(Description).Append(", PolicyNames = [").Append(string.Join(", ", PolicyNames))
            .Append("], Local = ").Append(Local).Append(", ExpirationTtl = ").Append(ExpirationTtl)
            .Append(", SecretId = ").Append(SecretId is null ? "(none)" : "(hidden)");
        return true;
    }
}
