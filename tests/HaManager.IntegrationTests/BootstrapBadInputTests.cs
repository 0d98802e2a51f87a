using System.Diagnostics;
using HaManager.IntegrationTests.Support;

namespace HaManager.IntegrationTests;

/// <summary>
/// Bootstrap refuses bad input with a clear message, a non-zero exit and nothing half-done. Runs on a
/// fresh, never-bootstrapped node n4 next to the running cluster.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class BootstrapBadInputTests : IAsyncLifetime
{
    private const string Node = "n4";

    public async Task InitializeAsync()
    {
        if (!Directory.Exists(Lab.NodeFile(Node, "etc/hamanager"))) await Lab.RequireAsync(TimeSpan.FromSeconds(30), "node-add", Node);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Init_WithoutVirtualIp_ExitsWithUsageErrorAndWritesNothing()
    {
        var result = await Lab.ExecAsync(Node, "hamanager", "bootstrap");
        result.ExitCode.Should().Be(2);
        result.StandardError.Should().Contain("--virtual-ip is required");
        await AssertNothingDoneAsync();
    }

    [Theory]
    [InlineData("10.231.0.100")]
    [InlineData("10.231.0.300/24")]
    [InlineData("10.231.0.100/40")]
    public async Task Init_WithInvalidCidr_NamesTheValue(string cidr)
    {
        var result = await Lab.ExecAsync(Node, "hamanager", "bootstrap", "--virtual-ip", cidr);
        result.ExitCode.Should().Be(2);
        result.StandardError.Should().Contain("--virtual-ip").And.Contain(cidr);
        await AssertNothingDoneAsync();
    }

    [Fact]
    public async Task Join_WithoutAJoinToken_IsRefusedAndWritesNothing()
    {
        var result = await Lab.ExecAsync(Node, "hamanager", "bootstrap", "--join", Lab.Address("n1"));
        result.ExitCode.Should().Be(2, result.OutputTail());
        result.StandardError.Should().Contain("--join-token-file").And.Contain("hamanager join-token create --node n4");
        await AssertNothingDoneAsync();
    }

    [Fact]
    public async Task Join_WithAnExpiredJoinToken_IsRefusedAndWritesNothing()
    {
        var token = await JoinTokenAsync("1m");
        // Consul's shortest token lifetime is a minute; it enforces the expiry itself.
        await Task.Delay(TimeSpan.FromSeconds(65));

        var result = await Lab.ExecAsync(Node, "hamanager", "bootstrap", "--join", Lab.Address("n1"), "--join-token-file", token);
        result.ExitCode.Should().Be(2, result.OutputTail());
        result.StandardError.Should().Contain("refused").And.Contain("expired").And.Contain("nothing was changed");
        await AssertNothingDoneAsync();
    }

    [Fact]
    public async Task Join_WithAForgedJoinToken_IsRefusedAndWritesNothing()
    {
        var real = await File.ReadAllTextAsync(await JoinTokenAsync("10m"));
        // Same id and CA pin, another secret: it derives another ACL token, which Consul does not know.
        var parts = real.Trim().Split('.');
        parts[2] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var forged = Lab.NodeFile(Node, "etc/hamanager/forged.token");
        await File.WriteAllTextAsync(forged, string.Join('.', parts) + "\n");

        var result = await Lab.ExecAsync(Node, "hamanager", "bootstrap", "--join", Lab.Address("n1"), "--join-token-file", forged);
        result.ExitCode.Should().Be(2, result.OutputTail());
        result.StandardError.Should().Contain("refused join token").And.Contain("nothing was changed");
        await AssertNothingDoneAsync();
    }

    [Fact]
    public async Task Join_WhereNothingListens_FailsWithinBoundAndWritesNothing()
    {
        var token = await JoinTokenAsync("10m");
        var stopwatch = Stopwatch.StartNew();
        var result = await Lab.ExecAsync(Node, "hamanager", "bootstrap", "--join", "10.231.0.99", "--join-token-file", token);
        stopwatch.Stop();

        result.ExitCode.Should().NotBe(0);
        result.StandardError.Should().Contain("10.231.0.99").And.Contain("nothing was changed");
        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), "a dead join address must fail in bounded time, not hang");
        await AssertNothingDoneAsync();
    }

    [Fact]
    public async Task Join_WithADifferentVirtualIp_NamesBothValuesAndWritesNothing()
    {
        var token = await JoinTokenAsync("10m");
        var result = await Lab.ExecAsync(Node, "hamanager", "bootstrap", "--join", Lab.Address("n2"), "--virtual-ip", "10.231.0.200/24", "--join-token-file", token);
        result.ExitCode.Should().Be(2);
        result.StandardError.Should().Contain("10.231.0.200/24").And.Contain(Lab.VirtualIpCidr);
        await AssertNothingDoneAsync();
    }

    [Theory]
    [InlineData("n4}")]
    [InlineData("n4\nvrrp_instance x {")]
    public async Task NodeName_WithBraceOrNewline_IsRejected(string name)
    {
        var result = await Lab.ExecAsync(Node, "hamanager", "bootstrap", "--join", Lab.Address("n1"), "--node-name", name);
        result.ExitCode.Should().Be(2);
        result.StandardError.Should().Contain("node.name");
        await AssertNothingDoneAsync();
    }

    /// <summary>A join token for n4, made on n1 with the management token bootstrap left there; the file's path.</summary>
    private static async Task<string> JoinTokenAsync(string ttl)
    {
        var result = await Lab.ExecAsync("n1", "hamanager", "join-token", "create", "--node", Node, "--address", Lab.Address(Node), "--ttl", ttl);
        result.ExitCode.Should().Be(0, result.OutputTail());
        var path = Lab.NodeFile(Node, $"etc/hamanager/join-{Guid.NewGuid():N}.token");
        await File.WriteAllTextAsync(path, result.StandardOutput);
        return path;
    }

    private static async Task AssertNothingDoneAsync()
    {
        Directory.Exists(Lab.NodeFile(Node, "etc/hamanager/consul")).Should().BeFalse("no credentials may be written");
        File.Exists(Lab.NodeFile(Node, "etc/consul.d/hamanager.json")).Should().BeFalse("no Consul config may be written");
        File.Exists(Lab.NodeFile(Node, "etc/keepalived/keepalived.conf")).Should().BeFalse();
        Lab.Pid(Node, "consul").Should().BeNull("no Consul may be started");
        var keys = await Lab.ConsulKvAsync("n1", "get", "-keys", "-recurse", "hamanager/");
        keys.Succeeded.Should().BeTrue(keys.OutputTail());
        keys.StandardOutput.Should().NotContain("n4", "nothing may be registered for n4");
    }
}
