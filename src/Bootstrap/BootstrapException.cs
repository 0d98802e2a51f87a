namespace HaManager.Bootstrap;

/// <summary>A bootstrap that cannot proceed for a reason the operator can fix; the message says what and where.</summary>
public sealed class BootstrapException(string message, bool invalidInput = false, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>True when the arguments or settings are wrong (as opposed to the cluster being unreachable).</summary>
    public bool InvalidInput { get; } = invalidInput;
}
