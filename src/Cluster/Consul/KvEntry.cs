using System.Text;

namespace HaManager.Cluster.Consul;

/// <param name="Value">Never null: Consul's null value (key written with no body) becomes an empty array.</param>
/// <param name="Session">Session holding the key's lock, if any.</param>
public sealed record KvEntry(string Key, byte[] Value, ulong CreateIndex, ulong ModifyIndex, ulong LockIndex, ulong Flags, string? Session)
{
    public byte[] Value { get; init; } = Value ?? [];

    public string ValueAsString() => Encoding.UTF8.GetString(Value);
}
