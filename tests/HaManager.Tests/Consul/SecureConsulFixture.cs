using System.Globalization;
using System.Net;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Security;
using HaManager.Tests.Support;
using HaManager.Watchers.Files;

namespace HaManager.Tests.Consul;

/// <summary>
/// `consul agent -dev` as HaManager configures production: ACLs with default deny (bootstrapped here, the management
/// token kept for the tests), gossip encrypted with a key from <see cref="GossipKey"/>, TLS from our own
/// <see cref="CertificateAuthority"/> with verify_incoming/outgoing/server_hostname, HTTPS on loopback next to
/// plain HTTP on loopback.
/// </summary>
public sealed class SecureConsulFixture : IAsyncLifetime
{
    public const string Datacenter = "dc1";
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _dir = new();
    private ConsulAgentProcess? _agent;

    public CertificateAuthority Ca { get; } = CertificateAuthority.Create(DateTimeOffset.UtcNow);

    public GossipKey GossipKey { get; } = GossipKey.Generate();

    public string NodeName { get; } = $"hamanager-secure-{Environment.ProcessId}";

    public string CaFile => _dir.File("tls/ca.pem");

    public string ClientCertificateFile => _dir.File("tls/operator.pem");

    public string ClientKeyFile => _dir.File("tls/operator-key.pem");

    public Uri HttpAddress { get; private set; } = new("http://127.0.0.1:1");

    public Uri HttpsAddress { get; private set; } = new("https://127.0.0.1:1");

    public string ManagementToken { get; private set; } = string.Empty;

    /// <summary>What the agent printed up to being ready (its configuration banner), kept before later logs push it out.</summary>
    public string StartupOutput { get; private set; } = string.Empty;

    /// <summary>TLS as an operator on this machine has it: the cluster CA and an operator client certificate.</summary>
    public ConsulTlsOptions OperatorTls => new() { CaFile = CaFile, ClientCertificateFile = ClientCertificateFile, ClientKeyFile = ClientKeyFile };

    public ConsulClient CreateClient(string? token) => new(new ConsulClientOptions { Address = HttpAddress, Token = token });

    public ConsulClient CreateHttpsClient(string? token, ConsulTlsOptions? tls) =>
        new(new ConsulClientOptions { Address = HttpsAddress, Token = token, Tls = tls, RequestTimeout = TimeSpan.FromSeconds(5) });

    public async Task InitializeAsync()
    {
        var now = DateTimeOffset.UtcNow;
        await AtomicFile.WriteAsync(CaFile, Ca.CertificatePem);
        await PemFiles.WriteAsync(Ca.IssueServer(Cluster.Model.NodeName.Parse(NodeName), IPAddress.Loopback, Datacenter, now), _dir.File("tls/server.pem"), _dir.File("tls/server-key.pem"));
        await PemFiles.WriteAsync(Ca.IssueClient("operator", now), ClientCertificateFile, ClientKeyFile);
        _agent = await ConsulAgentProcess.StartAsync(Arguments, ReadyAsync, StartDeadline);
        StartupOutput = _agent.OutputTail;
    }

    public async Task DisposeAsync()
    {
        if (_agent is not null)
        {
            await _agent.DisposeAsync();
        }

        Ca.Dispose();
        _dir.Dispose();
    }

    private IEnumerable<string> Arguments()
    {
        var ports = FreePorts.Take(5);
        HttpAddress = new Uri($"http://127.0.0.1:{ports[0]}");
        HttpsAddress = new Uri($"https://127.0.0.1:{ports[4]}");
        ManagementToken = string.Empty;
        var config = _dir.File("consul.hcl");
        File.WriteAllText(config, string.Create(CultureInfo.InvariantCulture, $$"""
            datacenter = "{{Datacenter}}"
            encrypt = "{{GossipKey.Key}}"
            ca_file = "{{CaFile}}"
            cert_file = "{{_dir.File("tls/server.pem")}}"
            key_file = "{{_dir.File("tls/server-key.pem")}}"
            verify_incoming_rpc = true
            verify_incoming_https = true
            verify_outgoing = true
            verify_server_hostname = true
            acl {
              enabled = true
              default_policy = "deny"
              down_policy = "extend-cache"
            }
            ports { https = {{ports[4]}} }
            addresses { https = "127.0.0.1" }
            disable_update_check = true
            disable_anonymous_signature = true
            """));
        return
        [
            "agent", "-dev", "-node=" + NodeName, "-bind=127.0.0.1", "-client=127.0.0.1",
            $"-http-port={ports[0]}", $"-serf-lan-port={ports[1]}", $"-serf-wan-port={ports[2]}",
            $"-server-port={ports[3]}", "-dns-port=-1", "-grpc-port=-1", "-log-level=info", "-config-file=" + config,
        ];
    }

    /// <summary>Ready once the ACL system takes its bootstrap (it answers 500 until the leader has set it up).</summary>
    private async Task<string?> ReadyAsync()
    {
        using var client = new ConsulClient(new ConsulClientOptions { Address = HttpAddress, RequestTimeout = TimeSpan.FromSeconds(2) });
        try
        {
            if (await client.StatusLeaderAsync() is null)
            {
                return "no raft leader yet";
            }

            var token = await client.AclBootstrapAsync() ?? throw new InvalidOperationException("a fresh dev agent said its ACLs were bootstrapped already");
            ManagementToken = token.SecretId;
            return null;
        }
        catch (ConsulException ex)
        {
            return ex.Message;
        }
    }
}
