namespace HaManager.Cluster.Settings;

/// <summary>Values from the command line and the environment, which win over the settings file.</summary>
public sealed record SettingsOverrides
{
    public string? ConfigPath { get; init; }
    public string? NodeName { get; init; }
    public string? Address { get; init; }
    public string? ConsulAddress { get; init; }
    public string? ConsulToken { get; init; }
}
