using System.Net.Sockets;
using System.Text;

namespace HaManager.Cli.Systemd;

/// <summary>
/// sd_notify(3) for a Type=notify unit: one datagram per state change ("READY=1", "STOPPING=1") to the socket
/// systemd names in NOTIFY_SOCKET. Without the variable (a terminal, the lab, the process service manager)
/// every call does nothing.
/// </summary>
public sealed class ServiceNotifier
{
    public const string Variable = "NOTIFY_SOCKET";

    private readonly UnixDomainSocketEndPoint? _endPoint;

    private ServiceNotifier(UnixDomainSocketEndPoint? endPoint) => _endPoint = endPoint;

    /// <summary>Whether systemd waits for this process's notifications.</summary>
    public bool Enabled => _endPoint is not null;

    /// <summary>
    /// Reads NOTIFY_SOCKET and, as sd_notify's unset_environment does, removes it, so that the commands the
    /// watcher runs (systemctl, repmgr, keepalived -t) never see it. An abstract socket ("@name") becomes
    /// a leading NUL byte, which is how it is addressed.
    /// </summary>
    public static ServiceNotifier FromEnvironment(Func<string, string?>? environment = null, Action<string>? unset = null)
    {
        var value = (environment ?? Environment.GetEnvironmentVariable)(Variable);
        (unset ?? (name => Environment.SetEnvironmentVariable(name, null)))(Variable);
        return new ServiceNotifier(value switch
        {
            ['/', ..] => new UnixDomainSocketEndPoint(value),
            ['@', .. var name] when name.Length > 0 => new UnixDomainSocketEndPoint("\0" + name),
            _ => null,
        });
    }

    /// <summary>Sends STATE; false (never an exception) when there is no socket or it cannot be reached.</summary>
    public bool Notify(string state)
    {
        if (_endPoint is null) return false;
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            socket.Connect(_endPoint);
            socket.Send(Encoding.UTF8.GetBytes(state));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public bool Ready(string status) => Notify($"READY=1\nSTATUS={status}");

    public bool Stopping() => Notify("STOPPING=1");
}
