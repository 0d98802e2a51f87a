using System.CommandLine;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Settings;

namespace HaManager.Cli;

/// <summary>Options every verb accepts.</summary>
public static class GlobalOptions
{
    public static readonly Option<string?> Config = new("--config")
    {
        Description = $"Settings file (default: ${SettingsLoader.ConfigEnvironmentVariable}, then {HaManagerSettings.DefaultPath}; status and db work without one)",
        HelpName = "FILE",
        Recursive = true,
    };

    public static readonly Option<string?> Consul = new("--consul")
    {
        Description = $"Consul HTTP address, http(s)://HOST:PORT or HOST:PORT (default: ${ConsulEnvironment.HttpAddress}, then the settings file, then {ConsulOptions.DefaultAddress}); the token comes from ${ConsulEnvironment.HttpToken} or ${ConsulEnvironment.HttpTokenFile}, then the settings file",
        HelpName = "URL",
        Recursive = true,
    };

    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Log debug details to stderr",
        Recursive = true,
        Arity = ArgumentArity.Zero,
    };
}
