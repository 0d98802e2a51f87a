using System.Text.Json.Serialization;

namespace HaManager.Cluster.Consul;

// Wire shapes of Consul 1.8's HTTP API. They stay internal so the public records can evolve independently.

internal sealed record KvEntryDto(string Key, byte[]? Value, ulong CreateIndex, ulong ModifyIndex, ulong LockIndex, ulong Flags, string? Session)
{
    public KvEntry ToEntry() => new(Key, Value ?? [], CreateIndex, ModifyIndex, LockIndex, Flags, Session);
}

internal sealed record TxnKvOpDto(
    string Verb,
    string Key,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] byte[]? Value,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] ulong Index,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Session);

internal sealed record TxnOpDto([property: JsonPropertyName("KV")] TxnKvOpDto Kv);

internal sealed record TxnResultDto([property: JsonPropertyName("KV")] KvEntryDto? Kv);

internal sealed record TxnErrorDto(int OpIndex, string What);

internal sealed record TxnResponseDto(List<TxnResultDto>? Results, List<TxnErrorDto>? Errors);

internal sealed record SessionCreateDto(
    string Name,
    [property: JsonPropertyName("TTL"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Ttl,
    string Behavior,
    string LockDelay,
    List<string> Checks);

internal sealed record SessionIdDto([property: JsonPropertyName("ID")] string Id);

internal sealed record SessionInfoDto(
    [property: JsonPropertyName("ID")] string Id,
    string? Name,
    string? Node,
    long LockDelay,
    string? Behavior,
    [property: JsonPropertyName("TTL")] string? Ttl,
    List<string>? NodeChecks,
    List<string>? Checks,
    ulong CreateIndex);

internal sealed record AgentConfigDto(string Datacenter, string NodeName, bool Server);

internal sealed record AgentMemberDto(string Name, string Addr, int Port, int Status, Dictionary<string, string>? Tags);

internal sealed record AgentSelfDto(AgentConfigDto Config, AgentMemberDto Member);

internal sealed record RaftServerDto([property: JsonPropertyName("ID")] string Id, string Node, string Address, bool Leader, bool Voter);

internal sealed record RaftConfigurationDto(List<RaftServerDto>? Servers);

internal sealed record AclPolicyLinkDto(
    [property: JsonPropertyName("ID"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Id,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Name);

internal sealed record AclPolicyWriteDto(string Name, string Description, string Rules);

internal sealed record AclPolicyDto([property: JsonPropertyName("ID")] string Id, string Name, string? Description, string? Rules, ulong ModifyIndex);

internal sealed record AclTokenWriteDto(
    [property: JsonPropertyName("SecretID"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SecretId,
    string Description,
    List<AclPolicyLinkDto> Policies,
    bool Local,
    [property: JsonPropertyName("ExpirationTTL"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ExpirationTtl);

internal sealed record AclTokenDto(
    [property: JsonPropertyName("AccessorID")] string AccessorId,
    [property: JsonPropertyName("SecretID")] string SecretId,
    string? Description,
    List<AclPolicyLinkDto>? Policies,
    bool Local,
    DateTimeOffset? ExpirationTime);

[JsonSerializable(typeof(List<KvEntryDto>))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(List<TxnOpDto>))]
[JsonSerializable(typeof(TxnResponseDto))]
[JsonSerializable(typeof(SessionCreateDto))]
[JsonSerializable(typeof(SessionIdDto))]
[JsonSerializable(typeof(List<SessionInfoDto>))]
[JsonSerializable(typeof(AgentSelfDto))]
[JsonSerializable(typeof(List<AgentMemberDto>))]
[JsonSerializable(typeof(RaftConfigurationDto))]
[JsonSerializable(typeof(AclPolicyWriteDto))]
[JsonSerializable(typeof(AclPolicyDto))]
[JsonSerializable(typeof(AclTokenWriteDto))]
[JsonSerializable(typeof(AclTokenDto))]
internal sealed partial class ConsulJsonContext : JsonSerializerContext;
