namespace HaManager.Cli;

/// <summary>What `hamanager` exit codes mean; the man page and docs/operations.md are written from <see cref="All"/>.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int InvalidInput = 2;
    public const int ConsulUnavailable = 3;
    public const int Degraded = 4;
    /// <summary>`sync wait`: the folders were not confirmed on the other nodes in time.</summary>
    public const int NotReplicated = 5;
    /// <summary>`switchover`, `drill`, `node remove|reinit`: the request is unsafe and nothing was changed (the message says why).</summary>
    public const int Refused = 6;
    /// <summary>`switchover`, `drill`: started, then rolled back; the old primary serves again.</summary>
    public const int RolledBack = 7;

    public static IReadOnlyList<(int Code, string Meaning)> All { get; } =
    [
        (Ok, "Success (status: the cluster is healthy)."),
        (Failed, "The operation failed; the message on standard error says what and where."),
        (InvalidInput, "Invalid input: an unknown command or option, a bad argument value, or invalid settings; the message names the option or setting, nothing is printed on standard output."),
        (ConsulUnavailable, "Consul could not be reached or did not answer in time."),
        (Degraded, "status only: the cluster is degraded; the problems are listed."),
        (NotReplicated, "sync wait only: the folders were not confirmed on the other nodes in time; standard error names each lagging node and why."),
        (Refused, "switchover, drill and node remove|reinit only: the request was refused as unsafe before anything changed (switchover and drill: no healthy streaming standby, a failover in progress, the cluster degraded, clients could not be paused; drill --kill-primary: no --yes, or not run on the primary; node: the current primary, or fewer than 3 nodes left); standard error says why and, where there is one, which option overrides it."),
        (RolledBack, "switchover and drill only: the switchover started but could not complete and was rolled back: the old primary serves again; standard error says why."),
    ];
}
