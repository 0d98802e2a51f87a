using System.Diagnostics;
using System.Net;
using System.Text.Json;
using HaManager.Api;
using HaManager.Api.Metrics;
using HaManager.Api.Status;
using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Model;
using HaManager.Tests.Api.Status;
using HaManager.Tests.Support;

namespace HaManager.Tests.Api;

/// <summary>The real Kestrel server on 127.0.0.1, a port the kernel picks, routes answered from fakes.</summary>
public sealed class NodeApiServerTests
{
    [Fact]
    public async Task Routes_OnThePrimary_AnswerAsTheRulesSay()
    {
        await using var host = await StartedPrimaryAsync();

        (await Json(host, "/primary", HttpStatusCode.OK)).GetProperty("reason").GetString().Should().Be("n1 is the registered primary and its PostgreSQL accepts writes");
        (await Json(host, "/replica", HttpStatusCode.ServiceUnavailable)).GetProperty("role").GetString().Should().Be("primary");
        var health = await Json(host, "/health", HttpStatusCode.OK);
        health.GetProperty("services").GetProperty("pgbouncer").GetBoolean().Should().BeTrue();
        health.GetProperty("age_ms").GetProperty("postgres").GetInt64().Should().BeGreaterThanOrEqualTo(0);
        (await Json(host, "/v1/observer", HttpStatusCode.OK)).GetProperty("node").GetString().Should().Be("n1");

        using var head = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri(host.BaseAddress, "/primary")));
        head.StatusCode.Should().Be(HttpStatusCode.OK, "load balancers may probe with HEAD");
        using var options = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Options, new Uri(host.BaseAddress, "/replica")));
        options.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, "HAProxy's httpchk probes with OPTIONS");
        head.Headers.CacheControl!.NoStore.Should().BeTrue();
    }

    [Fact]
    public async Task Replica_OnAStreamingStandbyWithMaxLag_IsDecidedByTheLagInTheClusterDocument()
    {
        await using var host = await ApiTestHost.StartAsync("n2", ClusterDocuments.ThreeNodes("n1", lagBytes: 5000));
        host.SetPostgres(PostgresStates.Standby());
        await host.SetRegisteredPrimaryAsync("n1");
        await Eventually.WaitAsync(() => host.Cache.Cluster.Last is not null, "the first cluster read");

        (await Json(host, "/replica", HttpStatusCode.OK)).GetProperty("streaming").GetBoolean().Should().BeTrue();
        (await Json(host, "/replica?max_lag_bytes=10000", HttpStatusCode.OK)).GetProperty("lag_bytes").GetInt64().Should().Be(5000);
        (await Json(host, "/replica?max_lag_bytes=100", HttpStatusCode.ServiceUnavailable)).GetProperty("reason").GetString().Should().Contain("more than max_lag_bytes=100");
        (await Json(host, "/primary", HttpStatusCode.ServiceUnavailable)).GetProperty("registered_primary").GetString().Should().Be("n1");
        (await Json(host, "/replica?max_lag_bytes=-1", HttpStatusCode.BadRequest)).GetProperty("reason").GetString().Should().Contain("max_lag_bytes");
        await Json(host, "/replica?max_lag_bytes=1&max_lag_bytes=2", HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Primary_ConsulAndTheClusterReadHang_StillAnswersWithin100MsWithTheLastKnownRole()
    {
        await using var host = await ApiTestHost.StartAsync("n1", readCluster: async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        }, probes: new FakeNodeProbes { HangConsul = true });
        host.SetPostgres(PostgresStates.Primary);
        await host.SetRegisteredPrimaryAsync("n1");
        using (await host.GetAsync("/primary")) { } // the first request on a new connection pays for the connection

        var times = new List<TimeSpan>();
        for (var i = 0; i < 20; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await host.GetAsync("/primary");
            times.Add(watch.Elapsed);
            response.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        times.Order().ElementAt(times.Count / 2).Should().BeLessThan(TimeSpan.FromMilliseconds(100), "the median, on a busy 2-core machine");
        times.Max().Should().BeLessThan(TimeSpan.FromSeconds(1));
        var body = await Json(host, "/primary", HttpStatusCode.OK);
        body.GetProperty("role").GetString().Should().Be("primary");
        body.GetProperty("age_ms").GetProperty("consul").ValueKind.Should().Be(JsonValueKind.Null, "Consul never answered this process");
        body.GetProperty("reason").GetString().Should().EndWith("(Consul has not answered since this process started)");
    }

    [Fact]
    public async Task Cluster_IsTheSameDocumentAsStatusJson()
    {
        var kv = new InMemoryKvStore();
        var seed = await new ClusterSeed(kv).ConfigAsync();
        await seed.NodeAsync("n1", "10.231.0.11", 150, KeepalivedState.Master);
        await seed.NodeAsync("n2", "10.231.0.12", 140, KeepalivedState.Backup);
        await seed.PostgresAsync("n1", null, ("n1", 1, PostgresRole.Primary), ("n2", 2, PostgresRole.Standby));
        var probe = new FakeClusterProbe(new Dictionary<string, bool> { ["n1"] = true, ["n2"] = true },
            new Dictionary<string, PostgresProbeResult> { ["10.231.0.11"] = new("primary", null, new Dictionary<string, long> { ["n2"] = 42 }) });
        var reader = new ClusterStatusReader(kv, new KvKeys(), probe, staleReads: true);
        await using var host = await ApiTestHost.StartAsync("n1", readCluster: (_, ct) => reader.ReadSnapshotAsync(ct));
        await Eventually.WaitAsync(() => host.Cache.Cluster.Last is not null, "the first cluster read");

        using var response = await host.GetAsync("/cluster");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        long.Parse(response.Headers.GetValues(NodeApiRoutes.AgeHeader).Single(), System.Globalization.CultureInfo.InvariantCulture).Should().BeLessThan(10_000);
        var cli = JsonSerializer.Serialize(await reader.ReadAsync(CancellationToken.None), ClusterStatus.JsonOptions);
        (await response.Content.ReadAsStringAsync()).Should().Be(cli, "`hamanager status --json` prints exactly this");
    }

    [Fact]
    public async Task Cluster_ReadFailsAfterAGoodOne_ServesTheLastDocumentWithItsAgeAndTheError()
    {
        await using var host = await ApiTestHost.StartAsync("n1", ClusterDocuments.ThreeNodes("n1"));
        await Eventually.WaitAsync(() => host.Cache.Cluster.Last is not null, "the first cluster read");
        host.Document = null;
        await Eventually.WaitAsync(() => host.Cache.Cluster.Failing, "a failed read");

        using var response = await host.GetAsync("/cluster");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.GetValues(NodeApiRoutes.ReadErrorHeader).Single().Should().Contain("Consul is unreachable");
        response.Headers.Age.Should().NotBeNull();
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("postgres_master").GetString().Should().Be("n1");
    }

    [Fact]
    public async Task Cluster_NothingReadYet_Is503WithTheReason()
    {
        await using var host = await ApiTestHost.StartAsync("n1", document: null);
        await Eventually.WaitAsync(() => host.Cache.Cluster.Failing, "a failed read");
        (await Json(host, "/cluster", HttpStatusCode.ServiceUnavailable)).GetProperty("error").GetString().Should().Contain("Consul is unreachable");
    }

    [Fact]
    public async Task Metrics_AfterACycle_AreValidPrometheusText()
    {
        await using var host = await StartedPrimaryAsync();
        host.Probes.Spool = 3;
        await Eventually.WaitAsync(() => host.Cache.Cluster.Last is not null, "the first cluster read");
        await Eventually.WaitAsync(async () => PrometheusText.Parse(await host.Client.GetStringAsync(new Uri(host.BaseAddress, "/metrics"))).Value("hamanager_notify_spool_depth") == 3,
            "the spool depth in /metrics");

        using var response = await host.GetAsync("/metrics");
        response.Content.Headers.ContentType!.ToString().Should().Be(ApiMetrics.ContentType);
        var parsed = PrometheusText.Parse(await response.Content.ReadAsStringAsync());
        parsed.Value("hamanager_postgres_role", ("node", "n1"), ("role", "primary")).Should().Be(1);
        parsed.Value("hamanager_cluster_document_age_seconds").Should().BeLessThan(10);
    }

    [Fact]
    public async Task Page_IsSelfContainedAndLocksItselfDown()
    {
        await using var host = await StartedPrimaryAsync();
        using var response = await host.GetAsync("/");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        html.Should().StartWith("<!doctype html>").And.Contain("fetch(\"/cluster\"");
        html.Should().NotContainAny("http://", "https://", "//cdn", "@import", "src=\"");
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        policy.Should().StartWith("default-src 'none'; script-src 'sha256-").And.Contain("connect-src 'self'");
    }

    private static async Task<ApiTestHost> StartedPrimaryAsync()
    {
        var host = await ApiTestHost.StartAsync("n1", ClusterDocuments.ThreeNodes("n1"));
        host.SetPostgres(PostgresStates.Primary);
        await host.SetRegisteredPrimaryAsync("n1");
        await Eventually.WaitAsync(() => host.Cache.Facts() is { ConsulAnsweredAt: not null, Services: not null }, "the first local checks");
        return host;
    }

    private static async Task<JsonElement> Json(ApiTestHost host, string path, HttpStatusCode expected)
    {
        using var response = await host.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(expected, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
