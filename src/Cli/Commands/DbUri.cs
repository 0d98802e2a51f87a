using System.Globalization;
using System.Text.Json.Serialization;

namespace HaManager.Cli.Commands;

/// <summary>`hamanager db uri --json` (docs/operations.md); the password only with --show-password.</summary>
public sealed record DbUri(
    [property: JsonPropertyName("uri")] string Uri,
    [property: JsonPropertyName("host")] string Host,
    [property: JsonPropertyName("port")] int Port,
    [property: JsonPropertyName("database")] string Database,
    [property: JsonPropertyName("user")] string User,
    [property: JsonPropertyName("via")] string Via)
{
    /// <summary>Only with --show-password; left out of the JSON otherwise.</summary>
    [JsonPropertyName("password")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Password { get; init; }

    /// <summary>A libpq URI; user and password percent-encoded (the generated passwords need none, a custom user might), an IPv6 host in brackets.</summary>
    public static string Format(string user, string? password, string host, int port, string database)
    {
        var userInfo = System.Uri.EscapeDataString(user) + (password is null ? string.Empty : ":" + System.Uri.EscapeDataString(password));
        var hostPart = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;
        return $"postgresql://{userInfo}@{hostPart}:{port.ToString(CultureInfo.InvariantCulture)}/{System.Uri.EscapeDataString(database)}";
    }

    /// <summary>Never the password.</summary>
    public override string ToString() => $"{User}@{Host}:{Port}/{Database} via {Via}";
}
