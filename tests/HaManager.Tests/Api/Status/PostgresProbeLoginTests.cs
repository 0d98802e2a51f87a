using System.Net;
using HaManager.Api.Status;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Model;
using HaManager.Tests.Support;

namespace HaManager.Tests.Api.Status;

public sealed class PostgresProbeLoginTests
{
    private const string Repmgr = "rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr";
    private const string Monitor = "mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm";

    [Fact]
    public void For_SecretsWithAMonitorPassword_LogsInAsTheMonitoringRoleIntoPostgres()
    {
        var login = PostgresProbeLogin.For(new PostgresSecrets { RepmgrPassword = Repmgr, AppPassword = new string('a', 32), MonitorPassword = Monitor });

        login.Should().Be(new PostgresProbeLogin("hamanager_monitor", Monitor, "postgres", IsFallback: false));
        login.ToString().Should().Be("hamanager_monitor@postgres").And.NotContain(Monitor);
    }

    [Fact]
    public void For_SecretsFromBeforeTheMonitoringRole_FallsBackToRepmgrAndSaysSo()
    {
        var login = PostgresProbeLogin.For(new PostgresSecrets { RepmgrPassword = Repmgr, AppPassword = new string('a', 32) });

        login.Should().Be(new PostgresProbeLogin("repmgr", Repmgr, "repmgr", IsFallback: true));
        login.ToString().Should().Contain("fallback").And.NotContain(Repmgr);
    }

    [Fact]
    public async Task ProbePostgres_SecretsWithoutMonitorPassword_LogsTheFallbackOnceAtDebugAndNeverThePassword()
    {
        var log = new TestLogger();
        using var consul = new ConsulClient(new ConsulClientOptions { Address = new Uri("http://127.0.0.1:1") });
        var probe = new LiveClusterProbe(consul, logger: log.Logger);
        var secrets = new PostgresSecrets { RepmgrPassword = Repmgr, AppPassword = new string('a', 32) };

        // Nothing listens on port 1: the probe fails at once, after choosing its login.
        var first = await probe.ProbePostgresAsync(IPAddress.Loopback, 1, secrets, CancellationToken.None);
        await probe.ProbePostgresAsync(IPAddress.Loopback, 1, secrets, CancellationToken.None);

        first.Role.Should().Be("unknown");
        log.Messages.Should().ContainSingle().Which.Should().StartWith("Debug: ").And.Contain("no monitor_password").And.Contain("repmgr").And.NotContain(Repmgr);
    }

    [Fact]
    public async Task ProbePostgres_SecretsWithMonitorPassword_LogsNothing()
    {
        var log = new TestLogger();
        using var consul = new ConsulClient(new ConsulClientOptions { Address = new Uri("http://127.0.0.1:1") });
        var probe = new LiveClusterProbe(consul, logger: log.Logger);

        await probe.ProbePostgresAsync(IPAddress.Loopback, 1,
            new PostgresSecrets { RepmgrPassword = Repmgr, AppPassword = new string('a', 32), MonitorPassword = Monitor }, CancellationToken.None);

        log.Messages.Should().BeEmpty();
    }
}
