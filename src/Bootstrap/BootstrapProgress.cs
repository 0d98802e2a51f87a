namespace HaManager.Bootstrap;

/// <summary>Prints each bootstrap step as it runs, so an operator sees where a slow or failed bootstrap is.</summary>
public sealed class BootstrapProgress(TextWriter output)
{
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private int _step;

    /// <summary>The step running now, for messages about what was interrupted.</summary>
    public string? CurrentStep { get; private set; }

    public void Step(string description)
    {
        _step++;
        CurrentStep = description;
        output.WriteLine($"[{_step}] {description}");
        output.Flush();
    }

    public void Result(string outcome)
    {
        output.WriteLine($"    {outcome} ({_clock.Elapsed.TotalSeconds:0.0} s)");
        output.Flush();
    }
}
