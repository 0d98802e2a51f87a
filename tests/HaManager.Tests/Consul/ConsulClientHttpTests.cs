using System.Net;
using System.Text.Json;
using HaManager.Cluster.Consul;

namespace HaManager.Tests.Consul;

/// <summary>What the client puts on the wire and how it reads headers, checked against a stub handler.</summary>
public sealed class ConsulClientHttpTests
{
    private static readonly Uri StubAddress = new("http://127.0.0.1:8500");

    [Fact]
    public async Task GetAsync_TokenConfigured_SendsConsulTokenHeader()
    {
        using var handler = new StubHandler(HttpStatusCode.NotFound, string.Empty);
        using var client = new ConsulClient(new ConsulClientOptions { Address = StubAddress, Token = "s3cr3t" }, handler);

        await client.GetAsync("a");

        handler.Last.Headers.GetValues("X-Consul-Token").Should().Equal("s3cr3t");
    }

    [Fact]
    public async Task GetAsync_NoToken_SendsNoTokenHeader()
    {
        using var handler = new StubHandler(HttpStatusCode.NotFound, string.Empty);
        using var client = new ConsulClient(new ConsulClientOptions { Address = StubAddress }, handler);

        await client.GetAsync("a");

        handler.Last.Headers.Contains("X-Consul-Token").Should().BeFalse();
    }

    [Fact]
    public async Task ListAsync_BlockingStaleWithDatacenter_SendsQueryParameters()
    {
        using var handler = new StubHandler(HttpStatusCode.NotFound, string.Empty);
        using var client = new ConsulClient(new ConsulClientOptions { Address = StubAddress, Datacenter = "east 1" }, handler);

        await client.ListAsync("p/", new QueryOptions { WaitIndex = 42, WaitTime = TimeSpan.FromMilliseconds(1500), Stale = true });

        handler.Last.RequestUri!.PathAndQuery.Should().Be("/v1/kv/p/?recurse&dc=east%201&stale&index=42&wait=1500ms");
    }

    [Fact]
    public async Task GetAsync_NotBlocking_SendsNoIndexOrWait()
    {
        using var handler = new StubHandler(HttpStatusCode.NotFound, string.Empty);
        using var client = new ConsulClient(new ConsulClientOptions { Address = StubAddress }, handler);

        await client.GetAsync("a", new QueryOptions { WaitTime = TimeSpan.FromSeconds(30) });

        handler.Last.RequestUri!.PathAndQuery.Should().Be("/v1/kv/a");
    }

    [Fact]
    public async Task PutAsync_KeyWithReservedCharacters_EscapesEachSegment()
    {
        using var handler = new StubHandler(HttpStatusCode.OK, "true");
        using var client = new ConsulClient(new ConsulClientOptions { Address = StubAddress }, handler);

        await client.PutAsync("a b/ü/q?x#y%z", [1], cas: 0);

        handler.Last.Method.Should().Be(HttpMethod.Put);
        handler.Last.RequestUri!.AbsolutePath.Should().Be("/v1/kv/a%20b/%C3%BC/q%3Fx%23y%25z");
        handler.Last.RequestUri.Query.Should().Be("?cas=0");
    }

    [Fact]
    public async Task GetAsync_ResponseHeaders_FillQueryResult()
    {
        using var handler = new StubHandler(
            HttpStatusCode.OK,
            """[{"Key":"a","Value":null,"CreateIndex":3,"ModifyIndex":4,"LockIndex":0,"Flags":9,"Session":null}]""",
            ("X-Consul-Index", "42"),
            ("X-Consul-KnownLeader", "false"),
            ("X-Consul-LastContact", "250"));
        using var client = new ConsulClient(new ConsulClientOptions { Address = StubAddress }, handler);

        var result = await client.GetAsync("a");

        result.Index.Should().Be(42);
        result.KnownLeader.Should().BeFalse();
        result.LastContact.Should().Be(TimeSpan.FromMilliseconds(250));
        result.Value!.Value.Should().BeEmpty();
        result.Value.Flags.Should().Be(9);
    }

    [Fact]
    public async Task CreateSessionAsync_AnyRequest_SendsEmptyChecksAndGoDurations()
    {
        using var handler = new StubHandler(HttpStatusCode.OK, """{"ID":"6b1bdbea-db20-0462-caf5-4a2b75ad3709"}""");
        using var client = new ConsulClient(new ConsulClientOptions { Address = StubAddress }, handler);

        var id = await client.CreateSessionAsync(new SessionRequest("n", TimeSpan.FromSeconds(10), SessionBehavior.Delete, TimeSpan.FromMilliseconds(1500)));

        id.Should().Be("6b1bdbea-db20-0462-caf5-4a2b75ad3709");
        handler.Last.RequestUri!.AbsolutePath.Should().Be("/v1/session/create");
        using var body = JsonDocument.Parse(handler.Bodies[^1]!);
        var root = body.RootElement;
        root.GetProperty("Checks").GetArrayLength().Should().Be(0);
        root.GetProperty("TTL").GetString().Should().Be("10s");
        root.GetProperty("LockDelay").GetString().Should().Be("1500ms");
        root.GetProperty("Behavior").GetString().Should().Be("delete");
    }

    [Fact]
    public async Task TxnAsync_AnyOps_SendsBase64ValuesAndOmitsUnsetFields()
    {
        using var handler = new StubHandler(HttpStatusCode.OK, """{"Results":[],"Errors":null}""");
        using var client = new ConsulClient(new ConsulClientOptions { Address = StubAddress }, handler);

        await client.TxnAsync([TxnOp.Set("k", "hi"u8.ToArray()), TxnOp.CheckIndex("k", 7)]);

        handler.Bodies[^1].Should().Be("""[{"KV":{"Verb":"set","Key":"k","Value":"aGk="}},{"KV":{"Verb":"check-index","Key":"k","Index":7}}]""");
    }

    [Fact]
    public async Task GetAsync_UnreadableBody_ThrowsConsulRequestException()
    {
        using var handler = new StubHandler(HttpStatusCode.OK, "<html>proxy error</html>");
        using var client = new ConsulClient(new ConsulClientOptions { Address = StubAddress }, handler);

        var act = () => client.GetAsync("a");

        (await act.Should().ThrowAsync<ConsulRequestException>()).Which.Message.Should().Contain("GET /v1/kv/a");
    }

    [Fact]
    public void TimeoutFor_BlockingQuery_AddsWaitAndJitterToRequestTimeout()
    {
        using var client = new ConsulClient(new ConsulClientOptions { Address = StubAddress, RequestTimeout = TimeSpan.FromSeconds(5) });

        client.TimeoutFor(new QueryOptions { WaitIndex = 1, WaitTime = TimeSpan.FromSeconds(16) }).Should().Be(TimeSpan.FromSeconds(22));
        client.TimeoutFor(new QueryOptions { WaitTime = TimeSpan.FromSeconds(16) }).Should().Be(TimeSpan.FromSeconds(5));
        client.TimeoutFor(null).Should().Be(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task RaftRemovePeerAsync_DeletesThePeerByItsEscapedAddress()
    {
        using var handler = new StubHandler(HttpStatusCode.OK, string.Empty);
        using var client = new ConsulClient(new ConsulClientOptions { Address = StubAddress }, handler);

        await client.RaftRemovePeerAsync("10.231.0.13:8300");

        handler.Last.Method.Should().Be(HttpMethod.Delete);
        handler.Last.RequestUri!.PathAndQuery.Should().Be("/v1/operator/raft/peer?address=10.231.0.13%3A8300");
    }

    [Fact]
    public async Task AgentForceLeaveAsync_WithPrune_AsksConsulToDropTheMember()
    {
        using var handler = new StubHandler(HttpStatusCode.OK, string.Empty);
        using var client = new ConsulClient(new ConsulClientOptions { Address = StubAddress }, handler);

        await client.AgentForceLeaveAsync("n3", prune: true);

        handler.Last.Method.Should().Be(HttpMethod.Put);
        handler.Last.RequestUri!.PathAndQuery.Should().Be("/v1/agent/force-leave/n3?prune");
    }
}
