using System.Net;
using HaManager.Watchers.Failover;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serilog;

namespace HaManager.Api;

/// <summary>
/// The read-only HTTP endpoint of `hamanager watch` (Kestrel, minimal APIs), on the node address and
/// 127.0.0.1. Every answer comes from state the daemon already holds in memory: it never waits on
/// Consul or PostgreSQL, so a control-plane outage cannot make it hang.
/// </summary>
public sealed class NodeApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private NodeApiServer(WebApplication app) => _app = app;

    public static async Task<NodeApiServer> StartAsync(IPAddress address, int port, FailoverDetector detector, Serilog.ILogger logger, CancellationToken cancellationToken)
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
        app.MapGet(HttpPeerObservers.Path, () => Results.Json(detector.CurrentView));
        await app.StartAsync(cancellationToken);
        logger.Information("HTTP endpoint listening on {Address}:{Port} (and 127.0.0.1)", address, port);
        return new NodeApiServer(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
