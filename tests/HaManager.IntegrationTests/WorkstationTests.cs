using System.Text.Json;
using HaManager.IntegrationTests.Support;
using HaManager.Watchers.Processes;
using Serilog.Core;

namespace HaManager.IntegrationTests;

/// <summary>
/// The read-only commands from a machine that is not a cluster node: a namespace of its own on the lab's bridge,
/// no settings file, nothing but Consul's own variables: CONSUL_HTTP_ADDR (HTTPS on a node's address), CONSUL_CACERT
/// (the cluster CA) and the read-only operator token (issue 13). And what such a machine cannot do (issue 10):
/// reach the plain HTTP API, read secrets or write any key, with or without that token.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class WorkstationTests : IAsyncLifetime
{
    private const string Namespace = "hmws";
    private const string Veth = "vhmws";
    private const string Address = "10.231.0.250/24";
    private static readonly ProcessRunner Runner = new(Logger.None);

    public async Task InitializeAsync()
    {
        File.Exists("/etc/hamanager/hamanager.yaml").Should().BeFalse(
            "this machine must have no node settings at the default path, or it would not be a workstation for hamanager");
        await DisposeAsync();
        await IpAsync("netns", "add", Namespace);
        await IpAsync("-n", "hub", "link", "add", Veth, "type", "veth", "peer", "name", "eth0", "netns", Namespace);
        await IpAsync("-n", "hub", "link", "set", Veth, "master", "br0", "up");
        await IpAsync("-n", Namespace, "addr", "add", Address, "dev", "eth0");
        await IpAsync("-n", Namespace, "link", "set", "eth0", "up");
        await IpAsync("-n", Namespace, "link", "set", "lo", "up");
    }

    public async Task DisposeAsync()
    {
        // Nothing runs inside it after each command returns, so deleting the name frees the namespace and both veth ends.
        await Runner.RunAsync(["ip", "netns", "del", Namespace], TimeSpan.FromSeconds(10));
        await Runner.RunAsync(["ip", "-n", "hub", "link", "del", Veth], TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Status_FromANonMemberWithOnlyConsulHttpAddr_ShowsEveryNodeAndSaysWhatItCannotSee()
    {
        var result = await Eventually.WaitAsync(() => WorkstationAsync("status", "--json"),
            r => r.ExitCode is 0 or 4, "status from the workstation", TimeSpan.FromSeconds(30));

        result.StandardError.Should().BeEmpty();
        var status = JsonDocument.Parse(result.StandardOutput).RootElement;
        status.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("name").GetString()).Should().Equal("n1", "n2", "n3");
        status.GetProperty("nodes").EnumerateArray().Should().OnlyContain(n => n.GetProperty("alive").GetBoolean());
        status.GetProperty("vip_holder").GetString().Should().NotBeNull();
        // The operator token may not read secrets/ (the monitoring role's password): PostgreSQL is shown as KV records it,
        // never as "not answering", and status says why.
        var notes = status.GetProperty("notes").EnumerateArray().Select(n => n.GetString()!).ToList();
        notes.Should().HaveCount(2, string.Join(" | ", notes));
        notes.Should().ContainSingle(n => n.Contains("not a cluster node"));
        notes.Should().ContainSingle(n => n.Contains("not probed") && n.Contains("may not read 'hamanager/secrets/postgres'"));
        status.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("postgres").GetProperty("role").GetString())
            .Should().OnlyContain(role => role == "primary" || role == "standby");
        status.GetProperty("problems").EnumerateArray().Should().NotContain(p => p.GetString()!.Contains("does not answer"));

        var table = await WorkstationAsync("status");
        table.ExitCode.Should().BeOneOf(0, 4);
        table.StandardOutput.Should().Contain("Not checked:");
    }

    [Fact]
    public async Task History_FromANonMemberWithOnlyConsulHttpAddr_ListsTheRecordedTransitions()
    {
        var result = await WorkstationAsync("history", "--json", "--limit", "5");

        result.ExitCode.Should().Be(0, result.OutputTail());
        result.StandardError.Should().BeEmpty();
        var transitions = JsonDocument.Parse(result.StandardOutput).RootElement.GetProperty("transitions").EnumerateArray().ToList();
        transitions.Should().NotBeEmpty("bootstrap and keepalived record transitions from the start").And.HaveCountLessThanOrEqualTo(5);
        transitions.Should().OnlyContain(t => new[] { "n1", "n2", "n3" }.Contains(t.GetProperty("node").GetString()));

        var table = await WorkstationAsync("history", "--service", "keepalived", "--limit", "3");
        table.ExitCode.Should().Be(0, table.OutputTail());
        table.StandardOutput.Should().Contain("keepalived");
    }

    [Fact]
    public async Task DbUri_FromANonMember_PointsAtTheVirtualIp()
    {
        var result = await WorkstationAsync("db", "uri");

        result.ExitCode.Should().Be(0, result.OutputTail());
        result.StandardOutput.Should().StartWith("postgresql://manager@").And.Contain($"@{Lab.VirtualIp}:6432/");

        // The password needs a token that may read secrets/; the operator token may not, and the command says so.
        var shown = await WorkstationAsync("db", "uri", "--show-password");
        shown.ExitCode.Should().Be(1, shown.OutputTail());
        shown.StandardOutput.Should().BeEmpty();
        shown.StandardError.Should().Contain("cannot read 'hamanager/secrets/postgres' with this Consul token").And.Contain("operator token may not");
    }

    [Fact]
    public async Task Status_FromANonMemberWithAnUnreachableConsul_ExitsThree()
    {
        var result = await WorkstationAsync(["status"], consul: "https://10.231.0.11:1");

        result.ExitCode.Should().Be(3, result.OutputTail());
        result.StandardOutput.Should().BeEmpty();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task NonMember_CannotReadSecretsNorWriteAnyKey(bool withOperatorToken)
    {
        string[] token = withOperatorToken ? ["-H", $"X-Consul-Token: {File.ReadAllText(OperatorTokenFile).Trim()}"] : [];
        var api = $"https://{Lab.Address("n1")}:8501/v1/kv/hamanager";

        var secrets = await CurlAsync([.. token, $"{api}/secrets/postgres?raw"]);
        secrets.Should().StartWith("403", "the PostgreSQL passwords are readable with a node token only");
        foreach (var key in new[] { "postgres/master", "config", "keepalived/nodes/n1", "syncthing/devices/intruder", "secrets/postgres" })
        {
            var write = await CurlAsync([.. token, "-X", "PUT", "--data", "{}", $"{api}/{key}"]);
            write.Should().StartWith("403", $"writing {key} from a non-member must be refused");
        }

        var config = await CurlAsync([.. token, $"{api}/config?raw"]);
        if (withOperatorToken) config.Should().StartWith("200", "the operator token reads the cluster's configuration");
        else config.Should().StartWith("403", "the anonymous token may read nothing");
    }

    [Fact]
    public async Task NonMember_CannotReachThePlainHttpApi()
    {
        var plain = await CurlAsync([$"http://{Lab.Address("n1")}:8500/v1/kv/hamanager/config?raw"]);
        plain.Should().StartWith("000", "plain HTTP listens on 127.0.0.1 only: from the network nothing answers");
    }

    [Fact]
    public async Task NodeToken_CannotWriteAnotherNodesKeepalivedRecord()
    {
        var n2Token = File.ReadAllText(Lab.NodeFile("n2", "etc/hamanager/consul/node.token")).Trim();
        var result = await Lab.ExecAsync("n2", "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-X", "PUT", "--data", "{}",
            "-H", $"X-Consul-Token: {n2Token}", "http://127.0.0.1:8500/v1/kv/hamanager/keepalived/nodes/n1");
        result.StandardOutput.Trim().Should().Be("403", "n2's token writes n2's records only");

        var own = await Lab.ExecAsync("n2", "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}",
            "-H", $"X-Consul-Token: {n2Token}", "http://127.0.0.1:8500/v1/kv/hamanager/keepalived/nodes/n2");
        own.StandardOutput.Trim().Should().Be("200", "and reads the cluster's records");
    }

    private static string OperatorTokenFile => Lab.NodeFile("n1", "etc/hamanager/consul/operator.token");

    /// <summary>curl in the workstation namespace, trusting the cluster CA: "CODE BODY" (000 when nothing answered).</summary>
    private static async Task<string> CurlAsync(string[] arguments)
    {
        var result = await Runner.RunAsync(["ip", "netns", "exec", Namespace, "curl", "-sS", "--max-time", "5", "--cacert",
            Lab.NodeFile("n1", "etc/hamanager/consul/tls/ca.pem"), "-w", "\n%{http_code}", .. arguments], TimeSpan.FromSeconds(20));
        var lines = result.StandardOutput.TrimEnd('\n').Split('\n');
        return $"{lines[^1]} {string.Join('\n', lines[..^1])}";
    }

    /// <summary>hamanager in the workstation namespace with a clean environment: PATH and Consul's own variables, nothing else.</summary>
    private static Task<CommandResult> WorkstationAsync(params string[] arguments) => WorkstationAsync(arguments, $"https://{Lab.Address("n1")}:8501");

    private static Task<CommandResult> WorkstationAsync(string[] arguments, string consul) =>
        Runner.RunAsync(["ip", "netns", "exec", Namespace, "env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", $"CONSUL_HTTP_ADDR={consul}",
            $"CONSUL_CACERT={Lab.NodeFile("n1", "etc/hamanager/consul/tls/ca.pem")}", $"CONSUL_HTTP_TOKEN_FILE={OperatorTokenFile}",
            Path.Combine(Lab.Root, "bin", "hamanager"), .. arguments], TimeSpan.FromSeconds(60));

    private static async Task IpAsync(params string[] arguments)
    {
        var result = await Runner.RunAsync(["ip", .. arguments], TimeSpan.FromSeconds(10));
        if (!result.Succeeded) throw new InvalidOperationException($"ip {string.Join(' ', arguments)} failed: {result.OutputTail()}");
    }
}
