using System.Diagnostics;
using System.Globalization;

namespace HaManager.Bootstrap;

/// <summary>
/// Prints each bootstrap step as it runs, so an operator sees where a slow or failed bootstrap is, and keeps
/// them for the final summary (`bootstrap --json`). Long waits inside a step go through <see cref="WaitAsync"/>.
/// </summary>
public sealed class BootstrapProgress(TextWriter output, IWaitIndicator? waits = null)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<BootstrapStep> _steps = [];
    private readonly IWaitIndicator _waits = waits ?? IWaitIndicator.None;

    /// <summary>The step running now, for messages about what was interrupted.</summary>
    public string? CurrentStep { get; private set; }

    /// <summary>Every step so far, in order, each with its outcome once it has one.</summary>
    public IReadOnlyList<BootstrapStep> Steps => _steps;

    public TimeSpan Elapsed => _clock.Elapsed;

    public void Step(string description)
    {
        _steps.Add(new BootstrapStep(_steps.Count + 1, description, null, Math.Round(_clock.Elapsed.TotalSeconds, 2)));
        CurrentStep = description;
        output.WriteLine($"[{_steps.Count}] {description}");
        output.Flush();
    }

    public void Result(string outcome)
    {
        if (_steps.Count > 0)
        {
            var last = _steps[^1];
            _steps[^1] = last with { Result = last.Result is null ? outcome : $"{last.Result}; {outcome}", Seconds = Math.Round(_clock.Elapsed.TotalSeconds, 2) };
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {outcome} ({_clock.Elapsed.TotalSeconds:0.0} s)"));
        output.Flush();
    }

    /// <summary>A wait that may last seconds: shown as a spinner on a terminal, silent otherwise.</summary>
    public Task<T> WaitAsync<T>(string description, Func<IProgress<string>, Task<T>> wait) => _waits.WhileAsync(description, wait);
}
