using System.Globalization;
using System.Text.Json;
using HaManager.Api.Metrics;
using HaManager.Api.Page;
using HaManager.Api.Rules;
using HaManager.Api.State;
using HaManager.Watchers.Failover;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HaManager.Api;

/// <summary>
/// The routes of the node endpoint. Every handler answers from memory — <see cref="NodeStateCache"/>, the
/// metrics registry, the failure detector's current view, the embedded page — so none can wait on Consul
/// or PostgreSQL. Answers are never cached by clients: a load balancer must see the current verdict.
/// </summary>
public sealed class NodeApiRoutes(Func<ObserverView> observer, NodeStateCache cache, ApiMetrics metrics, StalenessLimits limits)
{
    public const string MaxLagParameter = "max_lag_bytes";
    public const string AgeHeader = "X-Data-Age-Ms";
    public const string ReadErrorHeader = "X-Read-Error";

    /// <summary>Load balancers probe with GET, HEAD or OPTIONS (HAProxy's `option httpchk` default).</summary>
    private static readonly string[] CheckMethods = ["GET", "HEAD", "OPTIONS"];
    private static readonly JsonSerializerOptions BodyJson = new();

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(HttpPeerObservers.Path, () => Results.Json(observer()));
        app.MapMethods("/primary", CheckMethods, () => Answer(EndpointRules.Primary(cache.Facts(), limits)));
        app.MapMethods("/replica", CheckMethods, (HttpRequest request) =>
        {
            var raw = request.Query[MaxLagParameter];
            if (raw.Count == 0) return Answer(EndpointRules.Replica(cache.Facts(), limits, null));
            if (raw.Count == 1 && long.TryParse(raw[0], NumberStyles.None, CultureInfo.InvariantCulture, out var max))
                return Answer(EndpointRules.Replica(cache.Facts(), limits, max));
            return Results.Json(new { reason = $"{MaxLagParameter} must be one whole number of bytes (0 or more), not '{raw}'" }, BodyJson, statusCode: StatusCodes.Status400BadRequest);
        });
        app.MapMethods("/health", CheckMethods, () => Answer(EndpointRules.Health(cache.Facts(), limits)));
        app.MapGet("/cluster", Cluster);
        app.MapGet("/metrics", async (HttpResponse response, CancellationToken cancellationToken) =>
        {
            response.ContentType = ApiMetrics.ContentType;
            await metrics.WriteAsync(response.Body, cancellationToken);
        });
        app.MapGet("/", (HttpResponse response) =>
        {
            response.Headers.ContentSecurityPolicy = StatusPage.ContentSecurityPolicy;
            response.Headers["X-Content-Type-Options"] = "nosniff";
            return Results.Bytes(StatusPage.Html, StatusPage.ContentType);
        });
    }

    private static IResult Answer(EndpointAnswer answer) => Results.Json(answer.Body, BodyJson, statusCode: answer.StatusCode);

    /// <summary>The `status --json` document as last read; how old it is goes in headers, so the body stays the same document.</summary>
    private IResult Cluster(HttpResponse response)
    {
        var reading = cache.Cluster;
        if (reading.Failing) response.Headers[ReadErrorHeader] = HeaderText(reading.LastError!.Value);
        if (reading.Last is not { } last || reading.Json is not { } json)
        {
            return Results.Json(new { reason = "this node has not read the cluster yet", error = reading.LastError?.Value }, BodyJson,
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        var age = last.AgeAt(cache.Time.GetUtcNow());
        response.Headers[AgeHeader] = ((long)age.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        response.Headers.Age = ((long)age.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        return Results.Bytes(json, "application/json");
    }

    /// <summary>Header values must be one line of visible ASCII.</summary>
    private static string HeaderText(string text)
    {
        var clean = new string(text.Select(c => c is >= ' ' and <= '~' ? c : ' ').ToArray());
        return clean.Length > 300 ? clean[..300] : clean;
    }
}
