using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace HaManager.Cluster.Settings;

/// <summary>
/// Reads the settings file (path from --config, then HAMANAGER_CONFIG, then the default), applies
/// command-line and environment overrides in the order DESIGN.md §4 gives, and validates the result.
/// </summary>
public static class SettingsLoader
{
    public const string ConfigEnvironmentVariable = "HAMANAGER_CONFIG";

    public static HaManagerSettings Load(SettingsOverrides overrides, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var explicitPath = overrides.ConfigPath ?? NullIfEmpty(environment(ConfigEnvironmentVariable));
        var path = explicitPath ?? HaManagerSettings.DefaultPath;

        HaManagerSettings settings;
        if (File.Exists(path))
        {
            settings = Parse(File.ReadAllText(path), path);
            settings.SourcePath = Path.GetFullPath(path);
        }
        else if (explicitPath is not null)
        {
            throw new SettingsException($"settings file '{explicitPath}' does not exist");
        }
        else
        {
            settings = new HaManagerSettings();
        }

        Apply(settings, overrides, environment);
        var errors = SettingsValidator.Validate(settings);
        if (errors.Count > 0)
        {
            var where = settings.SourcePath is null ? "settings (defaults; no file at " + path + ")" : $"settings file '{settings.SourcePath}'";
            throw new SettingsException($"{where} is invalid:\n  " + string.Join("\n  ", errors));
        }

        return settings;
    }

    public static HaManagerSettings Parse(string yaml, string sourceName)
    {
        var deserializer = new DeserializerBuilder()
            .WithNamingConvention(UnderscoredNamingConvention.Instance)
            .WithEnforceRequiredMembers()
            .Build();
        try
        {
            var settings = deserializer.Deserialize<HaManagerSettings?>(yaml) ?? new HaManagerSettings();
            FillEmptySections(settings);
            return settings;
        }
        catch (YamlException e)
        {
            var reason = e.InnerException?.Message ?? e.Message;
            throw new SettingsException($"{sourceName}:{e.Start.Line}:{e.Start.Column}: {reason}", e);
        }
    }

    /// <summary>A section whose keys are all commented out ("consul:" alone) parses as null: it means "all defaults".</summary>
    private static void FillEmptySections(HaManagerSettings s)
    {
        s.Node ??= new();
        s.Consul ??= new();
        s.Keepalived ??= new();
        s.Postgres ??= new();
        s.Pgbouncer ??= new();
        s.Syncthing ??= new();
        s.Paths ??= new();
        s.Watch ??= new();
        s.Consul.Service ??= new() { Unit = "hamanager-consul.service" };
        s.Keepalived.Service ??= new() { Unit = "keepalived.service" };
        s.Postgres.Service ??= new PostgresOptions().Service;
        s.Postgres.Repmgrd ??= new PostgresOptions().Repmgrd;
        s.Pgbouncer.Service ??= new PgbouncerOptions().Service;
        s.Syncthing.Service ??= new SyncthingOptions().Service;
    }

    private static void Apply(HaManagerSettings settings, SettingsOverrides overrides, Func<string, string?> environment)
    {
        if (overrides.NodeName is not null) settings.Node.Name = overrides.NodeName;
        if (overrides.Address is not null) settings.Node.Address = overrides.Address;
        if (string.IsNullOrEmpty(settings.Node.Name)) settings.Node.Name = Environment.MachineName.Split('.')[0];

        var consulAddress = overrides.ConsulAddress ?? NullIfEmpty(environment("CONSUL_HTTP_ADDR"));
        if (consulAddress is not null) settings.Consul.Address = consulAddress;
        if (!settings.Consul.Address.Contains("://", StringComparison.Ordinal))
        {
            // Consul's own CLI accepts "host:port" in CONSUL_HTTP_ADDR.
            settings.Consul.Address = "http://" + settings.Consul.Address;
        }

        var token = overrides.ConsulToken ?? NullIfEmpty(environment("CONSUL_HTTP_TOKEN"));
        if (token is not null) settings.Consul.Token = token;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
