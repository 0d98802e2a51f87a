using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace HaManager.Watchers.Failover;

/// <summary>GET http://NODE:PORT/v1/observer on every peer at once, each bounded by the timeout.</summary>
public sealed class HttpPeerObservers(int port) : IPeerObservers, IDisposable
{
    public const string Path = "/v1/observer";

    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        UseProxy = false,
        ConnectTimeout = TimeSpan.FromSeconds(1),
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
    })
    { Timeout = Timeout.InfiniteTimeSpan };

    public async Task<IReadOnlyDictionary<string, ObserverView?>> AskAsync(IReadOnlyList<(string Node, IPAddress Address)> peers, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var answers = await Task.WhenAll(peers.Select(async peer => (peer.Node, View: await AskOneAsync(peer.Node, peer.Address, timeout, cancellationToken))));
        return answers.ToDictionary(a => a.Node, a => a.View, StringComparer.Ordinal);
    }

    private async Task<ObserverView?> AskOneAsync(string node, IPAddress address, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var host = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        try
        {
            var view = await _http.GetFromJsonAsync<ObserverView>($"http://{host}:{port}{Path}", deadline.Token);
            // A view is only a vote for the node it was asked about.
            return view is not null && view.Node == node ? view : null;
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or NotSupportedException
                                      || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }

    public void Dispose() => _http.Dispose();
}
