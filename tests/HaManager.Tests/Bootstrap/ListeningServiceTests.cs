using HaManager.Bootstrap;
using HaManager.Cluster.Settings;
using HaManager.Tests.Support;

namespace HaManager.Tests.Bootstrap;

public sealed class ListeningServiceTests
{
    private static readonly ServiceOptions Options = new() { Unit = "pgbouncer.service" };

    [Fact]
    public async Task Stopped_IsStarted()
    {
        var services = new RecordingServiceManager { Running = false };
        (await ListeningService.StartAsync(services, "pgbouncer", Options, configWritten: true, CancellationToken.None)).Should().Be("started");
        services.Calls.Should().Equal("start pgbouncer");
    }

    [Fact]
    public async Task RunningWithTheFileBootstrapJustWrote_IsRestarted()
    {
        // Debian starts pgbouncer at boot on 127.0.0.1; a reload would leave it there.
        var services = new RecordingServiceManager { Running = true };
        (await ListeningService.StartAsync(services, "pgbouncer", Options, configWritten: true, CancellationToken.None)).Should().StartWith("restarted");
        services.Calls.Should().Equal("start pgbouncer", "restart pgbouncer");
    }

    [Fact]
    public async Task RunningWithAnUnchangedFile_IsLeftAlone()
    {
        var services = new RecordingServiceManager { Running = true };
        (await ListeningService.StartAsync(services, "pgbouncer", Options, configWritten: false, CancellationToken.None)).Should().Be("already running");
        services.Calls.Should().Equal("start pgbouncer");
    }
}
