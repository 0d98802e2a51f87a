namespace HaManager.Cluster.Consul;

/// <summary>An ACL token. The accessor id names it (safe to log); the secret id is the credential and never printed.</summary>
public sealed record AclToken
{
    public required string AccessorId { get; init; }

    public required string SecretId { get; init; }

    public required string Description { get; init; }

    public required IReadOnlyList<string> PolicyNames { get; init; }

    public bool Local { get; init; }

    public DateTimeOffset? ExpirationTime { get; init; }

    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("AccessorId = ").Append(AccessorId).Append(", SecretId = (hidden), Description = ").Append(Description)
            .Append(", PolicyNames = [").Append(string.Join(", ", PolicyNames)).Append("], Local = ").Append(Local)
            .Append(", ExpirationTime = ").Append(ExpirationTime?.ToString("O", System.Globalization.CultureInfo.InvariantCulture) ?? "(never)");
        return true;
    }
}
