namespace HaManager.Cluster.Consul;

/// <summary>What an ACL policy should be; <see cref="ConsulClient.AclPolicyUpsertAsync"/> makes Consul match it.</summary>
public sealed record AclPolicyDefinition(string Name, string Description, string Rules);
