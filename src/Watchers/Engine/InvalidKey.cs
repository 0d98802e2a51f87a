namespace HaManager.Watchers.Engine;

/// <param name="LastGoodIndex">The ModifyIndex of the last valid value used instead; null when the key was never valid here (left out).</param>
public sealed record InvalidKey(string Key, string Reason, ulong? LastGoodIndex)
{
    public override string ToString() => LastGoodIndex is { } index
        ? $"'{Key}' is invalid ({Reason}); using its last valid value (index {index})"
        : $"'{Key}' is invalid ({Reason}); left out, it was never valid here";
}
