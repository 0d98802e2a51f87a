using System.Net;
using System.Text;

namespace HaManager.Tests.Consul;

/// <summary>Records requests and answers them from a delegate, so client behaviour can be checked without an agent.</summary>
internal sealed class StubHandler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> respond) : HttpMessageHandler
{
    public StubHandler(HttpStatusCode status, string body, params (string Name, string Value)[] headers)
        : this((_, _) => Task.FromResult(Response(status, body, headers)))
    {
    }

    public List<HttpRequestMessage> Requests { get; } = [];

    /// <summary>Bodies read when each request was sent (the content is disposed afterwards).</summary>
    public List<string?> Bodies { get; } = [];

    public HttpRequestMessage Last => Requests[^1];

    public static HttpResponseMessage Response(HttpStatusCode status, string body, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Add(request);
        Bodies.Add(request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken));
        return await respond(request, cancellationToken);
    }
}
