namespace HaManager.Watchers.Processes;

/// <summary>The verdict on a PID file; <see cref="Process"/> is set only when <see cref="State"/> is Trusted.</summary>
public sealed record PidFileCheck(PidFileState State, ProcessIdentity? Process, string Reason)
{
    public bool IsTrusted => State == PidFileState.Trusted;
}
