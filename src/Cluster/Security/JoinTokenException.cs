namespace HaManager.Cluster.Security;

/// <summary>A join token was refused. The message names the token's id, never its secret.</summary>
public sealed class JoinTokenException : Exception
{
    public JoinTokenException(JoinTokenRefusal reason, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
    }

    public JoinTokenRefusal Reason { get; }
}
