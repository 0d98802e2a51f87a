using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Model;

namespace HaManager.Cluster.Json;

/// <summary>
/// The one place that turns KV bytes into validated records and back. A value that does not parse or
/// validate never leaves here as a record: the caller gets an error that names the key.
/// </summary>
public static class KvJson
{
    public static readonly JsonSerializerOptions Options = CreateOptions(writeIndented: false);
    public static readonly JsonSerializerOptions IndentedOptions = CreateOptions(writeIndented: true);

    public static byte[] Serialize<T>(T record) => JsonSerializer.SerializeToUtf8Bytes(record, Options);

    public static T Parse<T>(KvEntry entry) where T : class, IKvRecord =>
        TryParse<T>(entry.Key, entry.Value, out var record, out var error) ? record : throw new KvValueException(error);

    public static bool TryParse<T>(KvEntry entry, [NotNullWhen(true)] out T? record, [NotNullWhen(false)] out KvValueError? error)
        where T : class, IKvRecord => TryParse(entry.Key, entry.Value, out record, out error);

    public static bool TryParse<T>(string key, byte[] value, [NotNullWhen(true)] out T? record, [NotNullWhen(false)] out KvValueError? error)
        where T : class, IKvRecord
    {
        record = null;
        try
        {
            record = JsonSerializer.Deserialize<T>(value, Options);
        }
        catch (JsonException e)
        {
            error = new KvValueError(key, Describe(e));
            return false;
        }
        catch (FormatException e)
        {
            error = new KvValueError(key, e.Message);
            return false;
        }

        if (record is null)
        {
            error = new KvValueError(key, "the value is JSON null, expected an object");
            return false;
        }

        var problems = record.Validate().ToList();
        if (problems.Count > 0)
        {
            record = null;
            error = new KvValueError(key, string.Join("; ", problems));
            return false;
        }

        error = null;
        return true;
    }

    private static string Describe(JsonException e)
    {
        // System.Text.Json wraps converter FormatExceptions; their message is the useful one.
        var inner = e.InnerException is FormatException f ? f.Message : e.Message;
        return e.Path is { Length: > 0 } path && !inner.Contains(path, StringComparison.Ordinal) ? $"{inner} (at {path})" : inner;
    }

    private static JsonSerializerOptions CreateOptions(bool writeIndented)
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
            WriteIndented = writeIndented,
            TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
            AllowTrailingCommas = false,
            ReadCommentHandling = JsonCommentHandling.Disallow,
        };
        options.Converters.Add(new StringValueJsonConverter<NodeName>("a node name", NodeName.Parse, n => n.Value));
        options.Converters.Add(new StringValueJsonConverter<System.Net.IPAddress>("an IP address", IpAddresses.Parse, a => a.ToString()));
        options.Converters.Add(new StringValueJsonConverter<Cidr>("a CIDR", Cidr.Parse, c => c.ToString()));
        options.Converters.Add(new StringValueJsonConverter<SqlIdentifier>("an SQL identifier", SqlIdentifier.Parse, i => i.Value));
        options.Converters.Add(new StringValueJsonConverter<SyncthingDeviceId>("a syncthing device ID", SyncthingDeviceId.Parse, i => i.Value));
        options.Converters.Add(new StringValueJsonConverter<SyncthingAddress>("a syncthing address", SyncthingAddress.Parse, a => a.ToString()));
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper, allowIntegerValues: false));
        options.MakeReadOnly();
        return options;
    }
}
