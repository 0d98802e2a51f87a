using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HaManager.Api;

/// <summary>
/// The read-only HTTP endpoint of `hamanager watch` (Kestrel, minimal APIs), on the node address and
/// 127.0.0.1. Every answer comes from state the daemon already holds in memory (<see cref="NodeApiRoutes"/>):
/// it never waits on Consul or PostgreSQL, so a control-plane outage cannot make it hang.
/// </summary>
public sealed class NodeApiServer : IAsyncDisposable
{
    private static readonly string[] WarmUpPaths = ["/primary", "/replica?max_lag_bytes=0", "/health", "/cluster", "/v1/observer"];
    private readonly WebApplication _app;

    private NodeApiServer(WebApplication app, IReadOnlyList<Uri> addresses)
    {
        _app = app;
        Addresses = addresses;
    }

    /// <summary>Where it listens, with the real port when 0 was asked for (tests).</summary>
    public IReadOnlyList<Uri> Addresses { get; }

    public static async Task<NodeApiServer> StartAsync(IPAddress address, int port, NodeApiRoutes routes, Serilog.ILogger logger, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(address, port);
            if (!IPAddress.IsLoopback(address)) kestrel.Listen(IPAddress.Loopback, port);
        });
        var app = builder.Build();
        app.Use((context, next) =>
        {
            context.Response.Headers.CacheControl = "no-store";
            return next(context);
        });
        routes.Map(app);
        await app.StartAsync(cancellationToken);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.Select(a => new Uri(a)).ToList() ?? [];
        logger.Information("HTTP endpoint listening on {Addresses}", addresses.Select(a => a.Authority));
        await WarmUpAsync(addresses, cancellationToken);
        return new NodeApiServer(app, addresses);
    }

    /// <summary>
    /// Asks every route once: the first request pays for compiling the pipeline and the serializers (well over
    /// 100 ms), and that must not be a load balancer's first probe after a restart.
    /// </summary>
    private static async Task WarmUpAsync(IReadOnlyList<Uri> addresses, CancellationToken cancellationToken)
    {
        var local = addresses.FirstOrDefault(a => IPAddress.TryParse(a.Host, out var ip) && IPAddress.IsLoopback(ip)) ?? addresses.FirstOrDefault();
        if (local is null) return;
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        foreach (var path in WarmUpPaths)
        {
            try
            {
                using var response = await client.GetAsync(new Uri(local, path), cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                return; // only a warm-up: the real requests will tell
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
