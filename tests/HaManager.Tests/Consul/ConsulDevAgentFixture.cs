using HaManager.Cluster.Consul;

namespace HaManager.Tests.Consul;

/// <summary>
/// One real `consul agent -dev` on free loopback ports for the whole Consul test collection. A missing binary or an
/// agent that does not come up fails the tests: skipping would hide a broken lab.
/// </summary>
public sealed class ConsulDevAgentFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(30);

    private ConsulAgentProcess? _agent;

    public Uri Address { get; private set; } = new("http://127.0.0.1:1");

    public int HttpPort { get; private set; }

    public int SerfLanPort { get; private set; }

    public int ServerPort { get; private set; }

    public string NodeName { get; } = $"hamanager-test-{Environment.ProcessId}";

    /// <summary>Last lines the agent printed, for diagnosing failures.</summary>
    public string OutputTail => _agent?.OutputTail ?? string.Empty;

    public ConsulClient CreateClient() => new(new ConsulClientOptions { Address = Address });

    public async Task InitializeAsync() => _agent = await ConsulAgentProcess.StartAsync(Arguments, ReadyAsync, StartDeadline);

    public async Task DisposeAsync()
    {
        if (_agent is not null)
        {
            await _agent.DisposeAsync();
        }
    }

    private IEnumerable<string> Arguments()
    {
        var ports = FreePorts.Take(4);
        (HttpPort, SerfLanPort, ServerPort) = (ports[0], ports[1], ports[2]);
        Address = new Uri($"http://127.0.0.1:{HttpPort}");
        return
        [
            "agent", "-dev", "-node=" + NodeName, "-bind=127.0.0.1", "-client=127.0.0.1",
            $"-http-port={HttpPort}", $"-serf-lan-port={SerfLanPort}", $"-serf-wan-port={ports[3]}",
            $"-server-port={ServerPort}", "-dns-port=-1", "-grpc-port=-1", "-log-level=info",

            // Only loopback traffic is allowed: no update check or anonymous signature to HashiCorp.
            "-hcl=disable_update_check = true", "-hcl=disable_anonymous_signature = true",
        ];
    }

    private async Task<string?> ReadyAsync()
    {
        using var client = new ConsulClient(new ConsulClientOptions { Address = Address, RequestTimeout = TimeSpan.FromSeconds(2) });
        try
        {
            // A leader alone is not enough: KV writes fail until the leader has finished its setup.
            if (await client.StatusLeaderAsync() is null)
            {
                return "no raft leader yet";
            }

            return await client.PutAsync("hamanager-test/ready", "1"u8.ToArray()) ? null : "the ready key was not written";
        }
        catch (ConsulException ex)
        {
            return ex.Message;
        }
    }
}
