namespace HaManager.Watchers.Processes;

/// <summary>
/// What HaManager's own environment must not pass on to the services and tools it starts: Consul credentials (an
/// operator's CONSUL_HTTP_TOKEN would otherwise live on in the postmaster's environment, readable in /proc by the
/// postgres user) and PostgreSQL passwords. A child that needs one of them is given it explicitly.
/// </summary>
public static class ChildEnvironment
{
    public static readonly IReadOnlyList<string> Withheld =
    [
        "CONSUL_HTTP_TOKEN", "CONSUL_HTTP_TOKEN_FILE", "CONSUL_CLIENT_KEY", "CONSUL_CLIENT_CERT", "PGPASSWORD", "PGPASSFILE",
    ];
}
