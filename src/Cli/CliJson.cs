using System.Text.Json;

namespace HaManager.Cli;

/// <summary>How every --json output is written: indented, property names as the records declare them (snake_case).</summary>
public static class CliJson
{
    public static JsonSerializerOptions Options { get; } = new() { WriteIndented = true };
}
