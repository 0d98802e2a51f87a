namespace HaManager.Watchers.Engine;

/// <summary>Exponential retry delay with full jitter: from 250 ms doubling to a 30 s cap; reset on success.</summary>
public sealed class Backoff(TimeSpan? initial = null, TimeSpan? cap = null)
{
    private readonly TimeSpan _initial = initial ?? TimeSpan.FromMilliseconds(250);
    private readonly TimeSpan _cap = cap ?? TimeSpan.FromSeconds(30);
    private int _failures;

    public int Failures => _failures;

    public TimeSpan NextDelay()
    {
        var exponent = Math.Min(_failures++, 20);
        var ceiling = Math.Min(_cap.TotalMilliseconds, _initial.TotalMilliseconds * Math.Pow(2, exponent));
        // Half fixed, half random: never zero, and nodes that failed together do not retry together.
        return TimeSpan.FromMilliseconds(ceiling / 2 + Random.Shared.NextDouble() * ceiling / 2);
    }

    public void Reset() => _failures = 0;
}
