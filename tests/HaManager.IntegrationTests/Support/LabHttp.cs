using System.Globalization;
using System.Text.Json;

namespace HaManager.IntegrationTests.Support;

/// <summary>HTTP requests to a node's endpoint (port 8008), made with curl inside a node namespace: the test host cannot reach lab addresses.</summary>
public static class LabHttp
{
    public const int Port = 8008;

    public sealed record Answer(int Status, string Body, TimeSpan Time)
    {
        public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();

        public override string ToString() => $"{Status} in {Time.TotalMilliseconds:0} ms: {(Body.Length > 300 ? Body[..300] : Body)}";
    }

    public static string Url(string node, string path) => $"http://{Lab.Address(node)}:{Port}{path}";

    /// <summary>GET <paramref name="path"/> on <paramref name="target"/>'s endpoint, from inside <paramref name="from"/>'s namespace.</summary>
    public static async Task<Answer> GetAsync(string from, string target, string path)
    {
        // The last line carries the status and curl's own measure of the whole request.
        var result = await Lab.ExecAsync(from, "curl", "-sS", "--max-time", "5", "-o", "-", "-w", "\n%{http_code} %{time_total}", Url(target, path));
        var text = result.StandardOutput;
        var split = text.LastIndexOf('\n');
        if (!result.Succeeded || split < 0) throw new InvalidOperationException($"curl {Url(target, path)} from {from} failed ({result.ExitCode}): {result.OutputTail()}");
        var tail = text[(split + 1)..].Trim().Split(' ');
        return new Answer(int.Parse(tail[0], CultureInfo.InvariantCulture), text[..split], TimeSpan.FromSeconds(double.Parse(tail[1], CultureInfo.InvariantCulture)));
    }

    /// <summary>The status of <paramref name="path"/> on every node, asked from <paramref name="from"/>.</summary>
    public static async Task<IReadOnlyDictionary<string, int>> StatusesAsync(string from, IEnumerable<string> nodes, string path)
    {
        var statuses = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var node in nodes) statuses[node] = (await GetAsync(from, node, path)).Status;
        return statuses;
    }
}
