namespace HaManager.Cluster.Consul;

/// <summary>An ACL policy as Consul stores it.</summary>
public sealed record AclPolicy(string Id, string Name, string Description, string Rules, ulong ModifyIndex);
