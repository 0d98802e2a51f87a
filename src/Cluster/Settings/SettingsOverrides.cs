namespace HaManager.Cluster.Settings;

/// <summary>Values from the command line, which win over the settings file, and how much of the file is required.</summary>
public sealed record SettingsOverrides
{
    public string? ConfigPath { get; init; }
    public string? NodeName { get; init; }
    public string? Address { get; init; }

    /// <summary>
    /// False for commands that only read the cluster through Consul (status, db uri): they run on any machine, so
    /// node.name and node.address may be unset and a missing file at the default path means all defaults.
    /// </summary>
    public bool RequireNode { get; init; } = true;

    /// <summary>The file read when neither --config nor HAMANAGER_CONFIG names one.</summary>
    public string DefaultConfigPath { get; init; } = HaManagerSettings.DefaultPath;
}
