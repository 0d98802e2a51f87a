using System.Diagnostics;
using System.Net;
using HaManager.Cluster.Consul;

namespace HaManager.Tests.Consul;

/// <summary>How outages, slow agents and refusals surface to callers.</summary>
public sealed class ConsulClientFailureTests
{
    private static readonly Uri StubAddress = new("http://127.0.0.1:8500");

    [Fact]
    public async Task PutAsync_NobodyListening_ThrowsConsulUnavailableNamingAddressAndEndpoint()
    {
        var port = FreePorts.Take(1)[0];
        using var client = new ConsulClient(new ConsulClientOptions { Address = new Uri($"http://127.0.0.1:{port}"), RequestTimeout = TimeSpan.FromSeconds(2) });
        var clock = Stopwatch.StartNew();

        var act = () => client.PutAsync("hamanager/config", [1]);

        var ex = (await act.Should().ThrowAsync<ConsulUnavailableException>()).Which;
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
        ex.Endpoint.Should().Be("PUT /v1/kv/hamanager/config");
        ex.StatusCode.Should().BeNull();
        ex.Message.Should().Contain($"http://127.0.0.1:{port}").And.Contain("PUT /v1/kv/hamanager/config");
    }

    [Fact]
    public async Task GetAsync_AgentNeverAnswers_ThrowsConsulUnavailableAfterRequestTimeout()
    {
        using var handler = new StubHandler(async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        });
        using var client = new ConsulClient(new ConsulClientOptions { Address = StubAddress, RequestTimeout = TimeSpan.FromMilliseconds(200) }, handler);

        var act = () => client.GetAsync("x").WaitAsync(TimeSpan.FromSeconds(15));

        (await act.Should().ThrowAsync<ConsulUnavailableException>())
            .Which.Message.Should().Be("Consul at http://127.0.0.1:8500 did not answer GET /v1/kv/x within 0.2 s.");
    }

    [Fact]
    public async Task ListAsync_CallerCancelsBlockingRead_ThrowsOperationCanceledNotConsulException()
    {
        using var handler = new StubHandler(async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        });
        using var client = new ConsulClient(new ConsulClientOptions { Address = StubAddress }, handler);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        var act = () => client.ListAsync("p/", new QueryOptions { WaitIndex = 5, WaitTime = TimeSpan.FromMinutes(5) }, cts.Token)
            .WaitAsync(TimeSpan.FromSeconds(15));

        (await act.Should().ThrowAsync<OperationCanceledException>()).Which.CancellationToken.Should().Be(cts.Token);
    }

    [Fact]
    public async Task PutAsync_Http500_ThrowsConsulUnavailableWithStatusAndBody()
    {
        using var handler = new StubHandler(HttpStatusCode.InternalServerError, "rpc error making call: No cluster leader\n");
        using var client = new ConsulClient(new ConsulClientOptions { Address = StubAddress }, handler);

        var act = () => client.PutAsync("hamanager/config", [1]);

        var ex = (await act.Should().ThrowAsync<ConsulUnavailableException>()).Which;
        ex.StatusCode.Should().Be(500);
        ex.ResponseBody.Should().Be("rpc error making call: No cluster leader");
        ex.Message.Should().Contain("PUT /v1/kv/hamanager/config").And.Contain("No cluster leader");
    }

    [Fact]
    public async Task PutAsync_Http403_ThrowsConsulRequestExceptionWithBody()
    {
        using var handler = new StubHandler(HttpStatusCode.Forbidden, "Permission denied");
        using var client = new ConsulClient(new ConsulClientOptions { Address = StubAddress }, handler);

        var act = () => client.PutAsync("hamanager/config", [1]);

        var ex = (await act.Should().ThrowAsync<ConsulRequestException>()).Which;
        ex.StatusCode.Should().Be(403);
        ex.Endpoint.Should().Be("PUT /v1/kv/hamanager/config");
        ex.Message.Should().Be("Consul at http://127.0.0.1:8500 rejected PUT /v1/kv/hamanager/config with HTTP 403: Permission denied");
    }

    [Fact]
    public async Task GetAsync_Http404_IsMissingKeyNotError()
    {
        using var handler = new StubHandler(HttpStatusCode.NotFound, string.Empty, ("X-Consul-Index", "17"));
        using var client = new ConsulClient(new ConsulClientOptions { Address = StubAddress }, handler);

        var result = await client.GetAsync("missing");

        result.Value.Should().BeNull();
        result.Index.Should().Be(17);
    }

    [Fact]
    public async Task PutAsync_CasLost_ReturnsFalseWithoutException()
    {
        using var handler = new StubHandler(HttpStatusCode.OK, "false");
        using var client = new ConsulClient(new ConsulClientOptions { Address = StubAddress }, handler);

        (await client.PutAsync("k", [1], cas: 3)).Should().BeFalse();
    }

    [Fact]
    public void Constructor_RelativeAddress_ThrowsArgumentException()
    {
        var act = () => new ConsulClient(new ConsulClientOptions { Address = new Uri("consul/api", UriKind.Relative) });

        act.Should().Throw<ArgumentException>();
    }
}
