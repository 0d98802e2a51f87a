using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace HaManager.Cluster.Settings;

/// <summary>
/// Reads the settings file (path from --config, then HAMANAGER_CONFIG, then the default), applies the
/// command line's node overrides and validates the result. Where Consul is comes from
/// <see cref="ConsulEndpoint"/>, which applies --consul and Consul's environment variables over the file.
/// </summary>
public static class SettingsLoader
{
    public const string ConfigEnvironmentVariable = "HAMANAGER_CONFIG";

    public static HaManagerSettings Load(SettingsOverrides overrides, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var explicitPath = overrides.ConfigPath ?? NullIfEmpty(environment(ConfigEnvironmentVariable));
        var path = explicitPath ?? overrides.DefaultConfigPath;

        HaManagerSettings settings;
        YamlNode? document = null;
        if (File.Exists(path))
        {
            (settings, document) = ParseDocument(File.ReadAllText(path), path);
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

        Apply(settings, overrides);
        var errors = SettingsValidator.Validate(settings, overrides.RequireNode);
        if (errors.Count > 0)
        {
            var problems = errors.Select(e => Locate(document, e)).ToList();
            var source = settings.SourcePath is null ? $"settings (defaults; no file at {path})" : path;
            throw new SettingsException(SettingsProblem.Describe(source, problems));
        }

        return settings;
    }

    public static HaManagerSettings Parse(string yaml, string sourceName) => ParseDocument(yaml, sourceName).Settings;

    private static (HaManagerSettings Settings, YamlNode? Document) ParseDocument(string yaml, string sourceName)
    {
        var problems = new List<SettingsProblem>();
        var document = SettingsYamlChecker.Load(yaml, problems);
        if (document is not null) SettingsYamlChecker.CheckSection(document, typeof(HaManagerSettings), "", problems);
        if (problems.Count > 0) throw new SettingsException(SettingsProblem.Describe(sourceName, problems));

        var deserializer = new DeserializerBuilder()
            .WithNamingConvention(UnderscoredNamingConvention.Instance)
            .WithEnforceRequiredMembers()
            .Build();
        try
        {
            var settings = deserializer.Deserialize<HaManagerSettings?>(yaml) ?? new HaManagerSettings();
            FillEmptySections(settings);
            return (settings, document);
        }
        catch (YamlException e)
        {
            // The checker above accepts only what binds; should YamlDotNet still refuse, its message names .NET types,
            // so say where and leave the internals to --verbose readers of the inner exception.
            throw new SettingsException(SettingsProblem.Describe(sourceName,
                [new SettingsProblem("this value cannot be read as a setting", (int)e.Start.Line, (int)e.Start.Column)]), e);
        }
    }

    /// <summary>Places a validator message ("node.address: …") at the setting in the file, when the file has it.</summary>
    private static SettingsProblem Locate(YamlNode? document, string error)
    {
        var field = error.Split(':', 2)[0];
        return SettingsYamlChecker.Locate(document, field) is { } mark
            ? new SettingsProblem(error, (int)mark.Line, (int)mark.Column)
            : new SettingsProblem(error);
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
        s.Failover ??= new();
        s.Api ??= new();
        s.Logging ??= new();
        s.Consul.Service ??= new() { Unit = "hamanager-consul.service" };
        s.Keepalived.Service ??= new() { Unit = "keepalived.service" };
        s.Postgres.Service ??= new PostgresOptions().Service;
        s.Postgres.Repmgrd ??= new PostgresOptions().Repmgrd;
        s.Pgbouncer.Service ??= new PgbouncerOptions().Service;
        s.Syncthing.Service ??= new SyncthingOptions().Service;
    }

    private static void Apply(HaManagerSettings settings, SettingsOverrides overrides)
    {
        if (overrides.NodeName is not null) settings.Node.Name = overrides.NodeName;
        if (overrides.Address is not null) settings.Node.Address = overrides.Address;
        // A machine without node.address is no node (a workstation): its host name need not be a valid node name.
        if (string.IsNullOrEmpty(settings.Node.Name) && (overrides.RequireNode || settings.Node.Address.Length > 0))
            settings.Node.Name = Environment.MachineName.Split('.')[0];
        if (!settings.Consul.Address.Contains("://", StringComparison.Ordinal))
        {
            // Consul's own CLI accepts "host:port" in CONSUL_HTTP_ADDR; the file may say it the same way.
            settings.Consul.Address = "http://" + settings.Consul.Address;
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
