namespace HaManager.Cluster.Model;

public enum PostgresRole
{
    Unknown,
    Primary,
    Standby,
    Fenced,
}
