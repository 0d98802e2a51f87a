namespace HaManager.Cluster.Security;

/// <summary>A join token whose record was removed; its ACL policy and the listed ACL tokens are the caller's to delete.</summary>
public sealed record SweptJoinToken(JoinTokenId Id, string? JoinTokenAccessor, string? NodeTokenAccessor);
