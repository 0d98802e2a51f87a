using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using HaManager.Cluster.Model;

namespace HaManager.Cluster.Json;

internal sealed class IpAddressJsonConverter : JsonConverter<IPAddress>
{
    public override bool HandleNull => true;

    public override IPAddress Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String
            ? IpAddresses.Parse(reader.GetString())
            : throw new FormatException($"expected an IP address string, found {reader.TokenType}");

    public override void Write(Utf8JsonWriter writer, IPAddress value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
