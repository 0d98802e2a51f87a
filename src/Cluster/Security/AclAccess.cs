namespace HaManager.Cluster.Security;

/// <summary>Consul ACL rule dispositions (rendered lowercase).</summary>
public enum AclAccess
{
    Deny,
    Read,
    List,
    Write,
}
