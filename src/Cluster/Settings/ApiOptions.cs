namespace HaManager.Cluster.Settings;

/// <summary>The read-only HTTP endpoint of `hamanager watch` (the other nodes' failure detectors ask it what this node sees).</summary>
public sealed class ApiOptions
{
    public bool Enabled { get; set; } = true;
    /// <summary>Empty: the node address (node.address). The endpoint also answers on 127.0.0.1.</summary>
    public string ListenAddress { get; set; } = string.Empty;
    public int Port { get; set; } = 8008;
}
