namespace HaManager.Cli;

/// <summary>What `hamanager` exit codes mean; documented in docs/operations.md.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int InvalidInput = 2;
    public const int ConsulUnavailable = 3;
    public const int Degraded = 4;
    /// <summary>`sync wait`: the folders were not confirmed on the other nodes in time.</summary>
    public const int NotReplicated = 5;
}
