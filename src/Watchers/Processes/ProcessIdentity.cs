namespace HaManager.Watchers.Processes;

/// <summary>
/// A process as the kernel knows it: the PID plus its start time in clock ticks since boot. A PID alone can be
/// reused the moment the process exits; the pair cannot, so waits and second signals check the pair.
/// </summary>
public readonly record struct ProcessIdentity(int Pid, ulong StartTicks);
