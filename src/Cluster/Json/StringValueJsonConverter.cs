using System.Text.Json;
using System.Text.Json.Serialization;

namespace HaManager.Cluster.Json;

/// <summary>
/// A value that travels as a JSON string and is parsed strictly on the way in. Null is handled too,
/// so a JSON null never slips past the parser into a non-nullable property.
/// </summary>
internal sealed class StringValueJsonConverter<T>(string description, Func<string?, T> parse, Func<T, string> format) : JsonConverter<T>
{
    public override bool HandleNull => true;

    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String
            ? parse(reader.GetString())
            : throw new FormatException($"expected {description} string, found {reader.TokenType}");

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(format(value));
}
