using System.Text.Json.Serialization;
using HaManager.Api.Status;

namespace HaManager.Cli.Commands;

/// <summary>`history --json`: oldest first, each entry shaped like status --json's transitions.</summary>
public sealed record HistoryResult([property: JsonPropertyName("transitions")] IReadOnlyList<TransitionStatus> Transitions);
