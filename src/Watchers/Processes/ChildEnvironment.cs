namespace HaManager.Watchers.Processes;

/// <summary>
/// What a child process never inherits from hamanager: credentials an operator or a unit may have put into
/// hamanager's own environment (a Consul token for hamanager itself, a PGPASSWORD in the shell that ran bootstrap).
/// PostgreSQL, repmgr, pg_rewind, psql, pgbouncer, keepalived and syncthing need none of them: libpq tools read the
/// 0600 passfile named by PGPASSFILE, and a postmaster started with a Consul token would hand it to every backend.
/// A caller that passes one of these names explicitly still gets it (the one process that needs it).
/// </summary>
public static class ChildEnvironment
{
    public static readonly IReadOnlyList<string> Withheld =
    [
        "PGPASSWORD",
        "CONSUL_HTTP_TOKEN",
        "CONSUL_HTTP_TOKEN_FILE",
        "CONSUL_HTTP_AUTH",
    ];

    /// <summary>The names to remove from an inherited environment: every withheld one the caller does not set itself.</summary>
    public static IEnumerable<string> ToRemove(IReadOnlyDictionary<string, string>? explicitlySet) =>
        Withheld.Where(name => explicitlySet is null || !explicitlySet.ContainsKey(name));

    /// <summary>Removes every withheld name from a ProcessStartInfo environment (a copy of hamanager's own); set what the child needs afterwards.</summary>
    public static void Scrub(IDictionary<string, string?> environment)
    {
        foreach (var name in Withheld) environment.Remove(name);
    }
}
