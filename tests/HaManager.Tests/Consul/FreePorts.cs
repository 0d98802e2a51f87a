using System.Net;
using System.Net.Sockets;

namespace HaManager.Tests.Consul;

internal static class FreePorts
{
    /// <summary>
    /// Distinct loopback ports free for both TCP and UDP (serf uses both). Another process may still grab one before
    /// it is used, so callers retry on a failed start.
    /// </summary>
    public static IReadOnlyList<int> Take(int count)
    {
        var held = new List<Socket>();
        var ports = new List<int>();
        try
        {
            while (ports.Count < count)
            {
                var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                held.Add(tcp);
                tcp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                var port = ((IPEndPoint)tcp.LocalEndPoint!).Port;

                var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                held.Add(udp);
                try
                {
                    udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                }
                catch (SocketException)
                {
                    continue;
                }

                ports.Add(port);
            }

            return ports;
        }
        finally
        {
            foreach (var socket in held)
            {
                socket.Dispose();
            }
        }
    }
}
