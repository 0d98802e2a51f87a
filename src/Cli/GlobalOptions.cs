using System.CommandLine;
using HaManager.Cluster.Settings;

namespace HaManager.Cli;

/// <summary>Options every verb accepts.</summary>
public static class GlobalOptions
{
    public static readonly Option<string?> Config = new("--config")
    {
        Description = $"Settings file (default: ${SettingsLoader.ConfigEnvironmentVariable}, then {HaManagerSettings.DefaultPath})",
        Recursive = true,
    };

    public static readonly Option<string?> Consul = new("--consul")
    {
        Description = "Consul HTTP address (default: $CONSUL_HTTP_ADDR, then the settings file, then http://127.0.0.1:8500)",
        Recursive = true,
    };

    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Log debug details to stderr",
        Recursive = true,
    };
}
