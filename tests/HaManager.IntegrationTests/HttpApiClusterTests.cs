using System.Text.Json.Nodes;
using HaManager.IntegrationTests.Support;
using HaManager.Tests.Support;

namespace HaManager.IntegrationTests;

/// <summary>
/// The node endpoint of `hamanager watch` on a real cluster, asked with curl from inside the namespaces as
/// a load balancer would: /primary on exactly one node before and after a failover, /replica, /cluster,
/// /metrics, an answer from cache while Consul is down, and the status page in a real browser.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class HttpApiClusterTests
{
    private static readonly string[] Nodes = ["n1", "n2", "n3"];
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(150);

    [Fact]
    public async Task Primary_BeforeAndAfterAFailover_Is200OnExactlyTheRegisteredPrimary_AndTheTransitionCounterGoesUp()
    {
        var status = await LabDatabase.HealthyStatusAsync("n3", Settle);
        var old = status.GetProperty("postgres_master").GetString()!;
        var observer = Nodes.Last(n => n != old);
        await ExpectPrimaryOnlyOnAsync(observer, Nodes, old);
        (await LabHttp.GetAsync(observer, old, "/replica")).Status.Should().Be(503, "the primary is not a replica");
        var promotionsBefore = await PromotionsAsync(observer);

        (await Lab.RunAsync(TimeSpan.FromSeconds(60), "kill", old)).Succeeded.Should().BeTrue();
        var newMaster = await Eventually.WaitAsync(() => LabDatabase.MasterAsync(observer), m => m.Length > 0 && m != old, "a new master in KV", TimeSpan.FromSeconds(90));
        var survivors = Nodes.Where(n => n != old).ToArray();
        await ExpectPrimaryOnlyOnAsync(observer, survivors, newMaster);
        await Eventually.WaitAsync(() => PromotionsAsync(observer), n => n > promotionsBefore,
            "hamanager_transitions_total{service=\"postgres\",to=\"PRIMARY\"} to go up", TimeSpan.FromSeconds(30));

        (await Lab.RunAsync(TimeSpan.FromMinutes(5), "revive", old)).Succeeded.Should().BeTrue();
        await LabDatabase.HealthyStatusAsync(observer, Settle);
        await ExpectPrimaryOnlyOnAsync(observer, Nodes, newMaster);
        await Eventually.WaitAsync(() => LabHttp.GetAsync(observer, old, "/replica"), a => a.Status == 200, $"the revived {old} to answer /replica", Settle);
    }

    [Fact]
    public async Task Cluster_HasTheContentOfStatusJson()
    {
        await LabDatabase.HealthyStatusAsync("n2", Settle);
        // Read a moment apart, live figures (lag, folder completion) may differ; everything else must be equal.
        var last = await Eventually.WaitAsync(async () =>
        {
            var api = await LabHttp.GetAsync("n2", "n2", "/cluster");
            var cli = await Lab.StatusJsonAsync("n2");
            return (Api: api.Status == 200 ? Stable(JsonNode.Parse(api.Body)!) : api.ToString(), Cli: Stable(JsonNode.Parse(cli.GetRawText())!));
        }, r => r.Api == r.Cli, "/cluster to equal `status --json`", TimeSpan.FromSeconds(30));
        last.Api.Should().Contain("\"postgres_master\"");
    }

    [Fact]
    public async Task Metrics_OnEveryNode_AreStrictPrometheusText()
    {
        await LabDatabase.HealthyStatusAsync("n1", Settle);
        foreach (var node in Nodes)
        {
            // A node revived by the previous test may still be starting its watcher (and with it the endpoint).
            var answer = await Eventually.WaitAsync(async () =>
            {
                try { return await LabHttp.GetAsync("n1", node, "/metrics"); }
                catch (InvalidOperationException) { return null; }
            }, a => a?.Status == 200, $"{node}'s /metrics to answer", TimeSpan.FromSeconds(30));
            var metrics = PrometheusText.Parse(answer!.Body);
            metrics.Series("hamanager_postgres_role").Where(s => s.Labels["role"] == "primary").Should().ContainSingle();
            metrics.Series("hamanager_vip_holder").Sum(s => s.Value).Should().Be(1);
            metrics.Value("hamanager_consul_leader_seen").Should().Be(1);
            metrics.Value("hamanager_notify_spool_depth").Should().Be(0);
            metrics.Series("hamanager_watcher_cycles_total").Should().NotBeEmpty();
            metrics.Value("process_working_set_bytes").Should().BeLessThan(200_000_000, "the whole daemon should stay small (goal: 60 MB)");
        }
    }

    [Fact]
    public async Task Primary_ConsulStoppedOnThePrimary_StillAnswersWithin100MsWithTheLastRoleAndItsAge()
    {
        var status = await LabDatabase.HealthyStatusAsync("n3", Settle);
        var master = status.GetProperty("postgres_master").GetString()!;
        var observer = Nodes.Last(n => n != master);
        (await Lab.RunAsync(TimeSpan.FromSeconds(60), "stop-service", master, "consul")).Succeeded.Should().BeTrue();
        try
        {
            await Eventually.WaitAsync(() => LabHttp.GetAsync(observer, master, "/primary"),
                a => a.Status == 200 && a.Json.GetProperty("age_ms").GetProperty("consul").GetInt64() > 6000,
                // The answer calls Consul silent once its knowledge is more than 5 s old (EndpointRules.KvAgeNote).
                $"{master}'s /primary to report Consul knowledge older than 6 s", TimeSpan.FromSeconds(30));
            for (var i = 0; i < 10; i++)
            {
                var answer = await LabHttp.GetAsync(observer, master, "/primary");
                answer.Status.Should().Be(200, answer.ToString());
                answer.Time.Should().BeLessThan(TimeSpan.FromMilliseconds(100), answer.ToString());
                answer.Json.GetProperty("role").GetString().Should().Be("primary");
                answer.Json.GetProperty("registered_primary").GetString().Should().Be(master);
                answer.Json.GetProperty("reason").GetString().Should().Contain("Consul does not answer");
            }

            await Eventually.WaitAsync(() => LabHttp.GetAsync(observer, master, "/health"), a => a.Status == 503 && a.Json.GetProperty("services").GetProperty("consul").GetBoolean() == false,
                $"{master}'s /health to report its own Consul agent down (services are checked every 5 s)", TimeSpan.FromSeconds(30));
            var cluster = await LabHttp.GetAsync(master, master, "/cluster");
            cluster.Status.Should().Be(200, "the last document stays, and ages");
        }
        finally
        {
            (await Lab.RunAsync(TimeSpan.FromSeconds(60), "start-service", master, "consul")).Succeeded.Should().BeTrue();
        }

        await Eventually.WaitAsync(() => LabHttp.GetAsync(observer, master, "/health"), a => a.Status == 200, $"{master}'s /health to recover", TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task StatusPage_InABrowserInsideTheLab_ShowsTheNewPrimaryAfterAFailoverWithoutReloading()
    {
        var status = await LabDatabase.HealthyStatusAsync("n3", Settle);
        var old = status.GetProperty("postgres_master").GetString()!;
        var observer = Nodes.Last(n => n != old);
        var dir = Directory.CreateTempSubdirectory("hamanager-page-").FullName;
        var stop = Path.Combine(dir, "stop");
        var seen = Path.Combine(dir, "seen");
        // lab/lab exec's usual 2-minute bound is too short for a failover watched from start to end.
        var browser = Lab.RunAsync(TimeSpan.FromMinutes(6), "exec", observer, LabDatabase.Client, "page", LabHttp.Url(observer, "/"), dir, stop, "300");
        try
        {
            await Eventually.WaitAsync(() => Task.FromResult(File.Exists(seen) ? File.ReadAllLines(seen) : []),
                lines => lines.Contains($"{old} 3 kept"), $"the page in {observer}'s browser to show 3 nodes with {old} as primary", TimeSpan.FromSeconds(60));

            (await Lab.RunAsync(TimeSpan.FromSeconds(60), "kill", old)).Succeeded.Should().BeTrue();
            var newMaster = await Eventually.WaitAsync(() => LabDatabase.MasterAsync(observer), m => m.Length > 0 && m != old, "a new master in KV", TimeSpan.FromSeconds(90));
            await Eventually.WaitAsync(() => Task.FromResult(File.ReadAllLines(seen)), lines => lines.Any(l => l.StartsWith($"{newMaster} 3 ", StringComparison.Ordinal)),
                $"the page to show {newMaster} as primary", TimeSpan.FromSeconds(60));
            File.ReadAllLines(seen).Should().AllSatisfy(l => l.Should().EndWith(" kept", "the page updated itself; a reload would have lost the marker"));
        }
        finally
        {
            File.WriteAllText(stop, "stop");
            var result = await browser;
            var shots = Directory.GetFiles(dir, "status-page-*.png").Order(StringComparer.Ordinal).ToList();
            if (shots.Count > 0) File.Copy(shots[^1], HeadlessChromium.ScreenshotPath("lab-status-page.png"), overwrite: true);
            result.Succeeded.Should().BeTrue(result.OutputTail());
        }

        (await Lab.RunAsync(TimeSpan.FromMinutes(5), "revive", old)).Succeeded.Should().BeTrue();
        await LabDatabase.HealthyStatusAsync(observer, Settle);
    }

    private static async Task ExpectPrimaryOnlyOnAsync(string observer, IReadOnlyList<string> nodes, string primary)
    {
        var expected = nodes.ToDictionary(n => n, n => n == primary ? 200 : 503);
        await Eventually.WaitAsync(() => LabHttp.StatusesAsync(observer, nodes, "/primary"), s => s.OrderBy(p => p.Key).SequenceEqual(expected.OrderBy(p => p.Key)),
            $"/primary to answer 200 on {primary} only", TimeSpan.FromSeconds(60));
    }

    private static async Task<double> PromotionsAsync(string observer)
    {
        var answer = await LabHttp.GetAsync(observer, observer, "/metrics");
        return PrometheusText.Parse(answer.Body).Series("hamanager_transitions_total")
            .Where(s => s.Labels["service"] == "postgres" && s.Labels["to"] == "PRIMARY").Sum(s => s.Value);
    }

    /// <summary>The document without the figures that change from one read to the next.</summary>
    private static string Stable(JsonNode document)
    {
        foreach (var node in document["nodes"]!.AsArray())
        {
            node!["postgres"]!["lag_bytes"] = null;
            node["syncthing"]!["folders"] = null;
        }

        return document.ToJsonString();
    }
}
