namespace HaManager.Cluster.Settings;

public sealed class NodeOptions
{
    /// <summary>Defaults to the short host name.</summary>
    public string Name { get; set; } = string.Empty;
    /// <summary>The address other members reach this node on; required (here or as --address).</summary>
    public string Address { get; set; } = string.Empty;
}
