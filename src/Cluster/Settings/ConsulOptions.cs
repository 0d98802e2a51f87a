namespace HaManager.Cluster.Settings;

public sealed class ConsulOptions
{
    public const string DefaultAddress = "http://127.0.0.1:8500";

    public string Address { get; set; } = DefaultAddress;
    public string Token { get; set; } = string.Empty;
    public string KvPrefix { get; set; } = KvKeys.DefaultPrefix;
    public string Datacenter { get; set; } = "dc1";
    public string ConfigFile { get; set; } = "/etc/consul.d/hamanager.json";
    public string DataDir { get; set; } = "/var/lib/consul";
    public int HttpPort { get; set; } = 8500;
    /// <summary>Consul's HTTPS API port on the node address (plain HTTP listens on 127.0.0.1 only).</summary>
    public int HttpsPort { get; set; } = 8501;
    /// <summary>Root-only directory of this node's Consul credentials: ACL tokens and TLS files (<see cref="ConsulSecretFiles"/>).</summary>
    public string SecretsDir { get; set; } = "/etc/hamanager/consul";
    /// <summary>How long a joining server must be healthy before autopilot makes it a voter.</summary>
    public string ServerStabilizationTime { get; set; } = "10s";
    public int JoinTimeoutSeconds { get; set; } = 60;
    public ServiceOptions Service { get; set; } = new() { Unit = "hamanager-consul.service" };
}
