using System.Net.Sockets;
using System.Text;
using HaManager.Cli.Systemd;

namespace HaManager.Tests.Cli.Systemd;

public sealed class ServiceNotifierTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hamanager-notify-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Ready_SendsReadyAndStatusToTheSocketSystemdNamed()
    {
        var path = Path.Combine(_directory, "notify");
        using var systemd = Listen(new UnixDomainSocketEndPoint(path));
        var notifier = ServiceNotifier.FromEnvironment(Env(path), _ => { });

        notifier.Ready("watching").Should().BeTrue();

        Receive(systemd).Should().Be("READY=1\nSTATUS=watching");
    }

    [Fact]
    public void Stopping_AbstractSocket_IsAddressedWithALeadingNul()
    {
        var name = "hamanager-test-" + Guid.NewGuid().ToString("N");
        using var systemd = Listen(new UnixDomainSocketEndPoint("\0" + name));
        var notifier = ServiceNotifier.FromEnvironment(Env("@" + name), _ => { });

        notifier.Stopping().Should().BeTrue();

        Receive(systemd).Should().Be("STOPPING=1");
    }

    [Fact]
    public void FromEnvironment_RemovesTheVariableSoChildrenDoNotInheritIt()
    {
        var removed = new List<string>();
        ServiceNotifier.FromEnvironment(Env("/run/systemd/notify"), removed.Add);
        removed.Should().Equal(ServiceNotifier.Variable);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("@")]
    [InlineData("relative/path")]
    public void Notify_WithoutAUsableSocket_DoesNothing(string? value)
    {
        var notifier = ServiceNotifier.FromEnvironment(Env(value), _ => { });
        notifier.Enabled.Should().BeFalse();
        notifier.Ready("watching").Should().BeFalse();
    }

    [Fact]
    public void Notify_SocketGone_ReturnsFalse()
    {
        var notifier = ServiceNotifier.FromEnvironment(Env(Path.Combine(_directory, "absent")), _ => { });
        notifier.Enabled.Should().BeTrue();
        notifier.Ready("watching").Should().BeFalse();
    }

    private static Func<string, string?> Env(string? value) => name => name == ServiceNotifier.Variable ? value : null;

    private static Socket Listen(UnixDomainSocketEndPoint endPoint)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(endPoint);
        return socket;
    }

    private static string Receive(Socket socket)
    {
        var buffer = new byte[256];
        socket.ReceiveTimeout = 10_000;
        return Encoding.UTF8.GetString(buffer, 0, socket.Receive(buffer));
    }
}
