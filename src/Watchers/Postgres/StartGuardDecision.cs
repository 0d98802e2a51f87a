namespace HaManager.Watchers.Postgres;

/// <summary>Whether PostgreSQL may start on this node now, and the sentence that says why.</summary>
public sealed record StartGuardDecision(bool Allowed, string Reason);
