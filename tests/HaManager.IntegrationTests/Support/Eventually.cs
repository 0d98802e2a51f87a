namespace HaManager.IntegrationTests.Support;

/// <summary>Waits for a condition with a deadline (tests never sleep a fixed time); the failure says what was awaited and the last observation.</summary>
public static class Eventually
{
    public static async Task<T> WaitAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        T last;
        while (true)
        {
            last = await probe();
            if (done(last)) return last;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out after {timeout.TotalSeconds:0} s waiting for {what}; last seen: {Describe(last)}");
            await Task.Delay(100);
        }
    }

    public static Task WaitAsync(Func<bool> condition, string what, TimeSpan timeout) =>
        WaitAsync(() => Task.FromResult(condition()), ok => ok, what, timeout);

    private static string Describe<T>(T value) => value switch
    {
        System.Collections.IEnumerable e and not string => "[" + string.Join(", ", e.Cast<object>()) + "]",
        _ => value?.ToString() ?? "null",
    };
}
