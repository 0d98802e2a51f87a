namespace HaManager.Cluster.Consul;

/// <summary>
/// The index a blocking-query loop waits on, with the edge cases from Consul's "blocking queries" docs
/// and consul-template's watch/view.go. Not thread-safe: one loop owns one instance.
/// </summary>
public sealed class BlockingIndex
{
    /// <summary>Value to send as QueryOptions.WaitIndex; 0 means the next read does not block.</summary>
    public ulong Current { get; private set; }

    /// <summary>Records the index of a response; true when the data may have changed and should be processed.</summary>
    public bool Advance(ulong received)
    {
        // Consul should never answer 0, but older versions did; blocking on 0 turns into a busy loop,
        // and 1 is always a safe index to wait on.
        if (received == 0)
        {
            received = 1;
        }

        if (received == Current)
        {
            // A blocking read that timed out answers with the index it was given.
            return false;
        }

        if (received < Current)
        {
            // Snapshot restores and tombstone reaping move indexes backwards; keeping the old value would block
            // until the new index catches up, so restart the loop with a non-blocking read.
            Current = 0;
            return true;
        }

        Current = received;
        return true;
    }

    /// <summary>Options for the next read of the loop.</summary>
    public QueryOptions NextQuery(TimeSpan waitTime, bool stale = false) =>
        new() { WaitIndex = Current, WaitTime = waitTime, Stale = stale };

    public void Reset() => Current = 0;
}
