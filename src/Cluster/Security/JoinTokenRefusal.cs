namespace HaManager.Cluster.Security;

/// <summary>Why a join token was not accepted; each has its own message, so an operator knows what to do next.</summary>
public enum JoinTokenRefusal
{
    NotFound,
    WrongSecret,
    Expired,
    AlreadyUsed,
    Invalid,

    /// <summary>Consul answered 403 to the derived ACL token: expired (Consul enforces the TTL), revoked or never made.</summary>
    RefusedByConsul,
}
