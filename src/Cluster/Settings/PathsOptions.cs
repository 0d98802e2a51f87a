namespace HaManager.Cluster.Settings;

public sealed class PathsOptions
{
    public string StateDir { get; set; } = "/var/lib/hamanager";
    public string SpoolDir { get; set; } = "/var/lib/hamanager/spool";
    public string TemplatesDir { get; set; } = "/etc/hamanager/templates";
    /// <summary>The hamanager executable that keepalived and repmgr call back into.</summary>
    public string HamanagerBinary { get; set; } = "/usr/bin/hamanager";
}
