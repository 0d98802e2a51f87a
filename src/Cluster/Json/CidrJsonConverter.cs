using System.Text.Json;
using System.Text.Json.Serialization;
using HaManager.Cluster.Model;

namespace HaManager.Cluster.Json;

internal sealed class CidrJsonConverter : JsonConverter<Cidr>
{
    public override bool HandleNull => true;

    public override Cidr Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String
            ? Cidr.Parse(reader.GetString())
            : throw new FormatException($"expected a CIDR string, found {reader.TokenType}");

    public override void Write(Utf8JsonWriter writer, Cidr value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
