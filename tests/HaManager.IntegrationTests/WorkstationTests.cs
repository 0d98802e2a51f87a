using System.Text.Json;
using HaManager.IntegrationTests.Support;
using HaManager.Watchers.Processes;
using Serilog.Core;

namespace HaManager.IntegrationTests;

/// <summary>
/// The read-only commands from a machine that is not a cluster node: a namespace of its own on the lab's bridge,
/// no settings file, nothing but CONSUL_HTTP_ADDR (issue 13).
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
        status.GetProperty("notes").EnumerateArray().Should().ContainSingle().Which.GetString().Should().Contain("not a cluster node");

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
        result.StandardOutput.Should().StartWith("postgresql://").And.Contain($"@{Lab.VirtualIp}:6432/");
    }

    [Fact]
    public async Task Status_FromANonMemberWithAnUnreachableConsul_ExitsThree()
    {
        var result = await WorkstationAsync(["status"], consul: "10.231.0.11:1");

        result.ExitCode.Should().Be(3, result.OutputTail());
        result.StandardOutput.Should().BeEmpty();
    }

    /// <summary>hamanager in the workstation namespace with a clean environment: PATH and CONSUL_HTTP_ADDR, nothing else.</summary>
    private static Task<CommandResult> WorkstationAsync(params string[] arguments) => WorkstationAsync(arguments, "10.231.0.11:8500");

    private static Task<CommandResult> WorkstationAsync(string[] arguments, string consul) =>
        Runner.RunAsync(["ip", "netns", "exec", Namespace, "env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", $"CONSUL_HTTP_ADDR={consul}",
            Path.Combine(Lab.Root, "bin", "hamanager"), .. arguments], TimeSpan.FromSeconds(60));

    private static async Task IpAsync(params string[] arguments)
    {
        var result = await Runner.RunAsync(["ip", .. arguments], TimeSpan.FromSeconds(10));
        if (!result.Succeeded) throw new InvalidOperationException($"ip {string.Join(' ', arguments)} failed: {result.OutputTail()}");
    }
}
