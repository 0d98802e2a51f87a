using System.Net;
using System.Net.Sockets;

namespace HaManager.Watchers.Failover;

/// <summary>
/// Is PostgreSQL at HOST:PORT accepting connections? Sends the 8-byte SSLRequest and waits for the
/// one-byte answer ('S' or 'N'): a live postmaster answers in a millisecond, needs no password, and logs
/// nothing when the connection then closes. Bounded by a timeout far below libpq's 2 s minimum.
/// </summary>
public static class PrimaryProbe
{
    private static readonly byte[] SslRequest = [0, 0, 0, 8, 0x04, 0xD2, 0x16, 0x2F];

    public static async Task<bool> AnswersAsync(IPAddress host, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var socket = new Socket(host.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(host, port), deadline.Token);
            await socket.SendAsync(SslRequest, SocketFlags.None, deadline.Token);
            var answer = new byte[1];
            var read = await socket.ReceiveAsync(answer, SocketFlags.None, deadline.Token);
            return read == 1 && answer[0] is (byte)'S' or (byte)'N';
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
