namespace HaManager.Api.Status;

public sealed record TransitionCount(string Service, string From, string To, int Count);
