namespace HaManager.Cluster.Json;

/// <summary>Why the value under a key was rejected.</summary>
public sealed record KvValueError(string Key, string Reason)
{
    public override string ToString() => $"invalid value at '{Key}': {Reason}";
}
