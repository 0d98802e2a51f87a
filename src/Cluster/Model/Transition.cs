namespace HaManager.Cluster.Model;

/// <summary>One recorded role change, under <c>transitions/&lt;sortable-time&gt;-&lt;node&gt;-&lt;service&gt;</c>.</summary>
public sealed record Transition : IKvRecord
{
    public const int MaxDetailsLength = 2000;

    public required NodeName Node { get; init; }
    public required string Service { get; init; }
    public required string From { get; init; }
    public required string To { get; init; }
    public required DateTimeOffset At { get; init; }
    public string? Details { get; init; }

    public IEnumerable<string> Validate()
    {
        if (!IsToken(Service)) yield return $"service '{NodeName.Printable(Service)}' is not a short lowercase word";
        if (!IsToken(From.ToLowerInvariant())) yield return $"from '{NodeName.Printable(From)}' is not a short word";
        if (!IsToken(To.ToLowerInvariant())) yield return $"to '{NodeName.Printable(To)}' is not a short word";
        if (Details is { Length: > MaxDetailsLength }) yield return $"details are longer than {MaxDetailsLength} characters";
    }

    private static bool IsToken(string text) =>
        text.Length is > 0 and <= 40 && text.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-');
}
