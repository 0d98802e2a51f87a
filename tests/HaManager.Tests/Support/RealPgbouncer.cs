using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace HaManager.Tests.Support;

/// <summary>
/// A real pgbouncer on 127.0.0.1 (Debian's, as the nodes run it), with SCRAM authentication, one admin user and the
/// database "manager" pointing at a port where nothing listens: enough for the admin console, no PostgreSQL needed.
/// pgbouncer refuses to run as root, so as root it drops to nobody (-u) in a directory nobody owns.
/// </summary>
public sealed class RealPgbouncer : IAsyncDisposable
{
    public const string AdminUser = "repmgr";
    public const string Database = "manager";
    private readonly TempDirectory _dir = new();
    private Process? _process;

    private RealPgbouncer(string password) => Password = password;

    public string Password { get; }
    public IPAddress Address => IPAddress.Loopback;
    public int Port { get; } = FreePort();

    public static async Task<RealPgbouncer> StartAsync(string password)
    {
        var pgbouncer = new RealPgbouncer(password);
        await pgbouncer.StartAsync();
        return pgbouncer;
    }

    /// <summary>Starts it (again, after <see cref="StopAsync"/>) and waits until it accepts connections.</summary>
    public async Task StartAsync()
    {
        var ini = _dir.File("pgbouncer.ini");
        await File.WriteAllTextAsync(_dir.File("users.txt"), $"\"{AdminUser}\" \"{Password}\"\n");
        await File.WriteAllTextAsync(ini, $"""
            [databases]
            {Database} = host=127.0.0.1 port=1 dbname={Database}
            [pgbouncer]
            listen_addr = 127.0.0.1
            listen_port = {Port}
            unix_socket_dir =
            auth_type = scram-sha-256
            auth_file = {_dir.File("users.txt")}
            admin_users = {AdminUser}
            logfile = {_dir.File("pgbouncer.log")}
            pidfile = {_dir.File("pgbouncer.pid")}

            """);
        var info = new ProcessStartInfo("pgbouncer") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        if (Environment.IsPrivilegedProcess)
        {
            var nobody = new DirectoryInfo(_dir.Path);
            File.SetUnixFileMode(_dir.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            using var chown = Process.Start("chown", ["-R", "nobody", nobody.FullName])!;
            await chown.WaitForExitAsync();
            info.ArgumentList.Add("-u");
            info.ArgumentList.Add("nobody");
        }

        info.ArgumentList.Add(ini);
        _process = Process.Start(info)!;
        await Eventually.WaitAsync(() => Accepts() || _process.HasExited, "pgbouncer to accept connections");
        if (_process.HasExited)
            throw new InvalidOperationException($"pgbouncer exited {_process.ExitCode}: {await _process.StandardError.ReadToEndAsync()}{await ReadLogAsync()}");
    }

    public async Task StopAsync()
    {
        if (_process is null) return;
        if (!_process.HasExited) _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _dir.Dispose();
    }

    private Task<string> ReadLogAsync() => File.Exists(_dir.File("pgbouncer.log")) ? File.ReadAllTextAsync(_dir.File("pgbouncer.log")) : Task.FromResult(string.Empty);

    private bool Accepts()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(Address, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
