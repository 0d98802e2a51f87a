namespace HaManager.Api.State;

/// <summary>A value with the moment this node learnt it: every answer of the endpoint says how old its data is.</summary>
public sealed record Stamped<T>(T Value, DateTimeOffset At)
{
    public TimeSpan AgeAt(DateTimeOffset now) => now > At ? now - At : TimeSpan.Zero;
}
