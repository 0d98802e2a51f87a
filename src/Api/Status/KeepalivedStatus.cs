using System.Text.Json.Serialization;

namespace HaManager.Api.Status;

public sealed record KeepalivedStatus(
    [property: JsonPropertyName("priority")] int? Priority,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("since")] DateTimeOffset? Since);
