namespace HaManager.Bootstrap;

/// <summary>
/// Shows that a long wait is going on (a join probe, a Consul election, replication): a spinner with a status
/// line on a terminal, nothing in a script or a log, where the step lines and the final result say enough.
/// </summary>
public interface IWaitIndicator
{
    static IWaitIndicator None { get; } = new Silent();

    /// <param name="wait">The wait itself; it reports one-line updates ("10.0.0.1:8500: connection refused; retrying").</param>
    Task<T> WhileAsync<T>(string description, Func<IProgress<string>, Task<T>> wait);

    private sealed class Silent : IWaitIndicator, IProgress<string>
    {
        public Task<T> WhileAsync<T>(string description, Func<IProgress<string>, Task<T>> wait) => wait(this);

        public void Report(string value)
        {
        }
    }
}
