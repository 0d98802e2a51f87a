using System.Text.Json;
using System.Text.Json.Serialization;
using HaManager.Cluster.Model;

namespace HaManager.Cluster.Json;

internal sealed class NodeNameJsonConverter : JsonConverter<NodeName>
{
    public override NodeName Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String
            ? NodeName.Parse(reader.GetString())
            : throw new FormatException($"expected a node name string, found {reader.TokenType}");

    public override void Write(Utf8JsonWriter writer, NodeName value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}
