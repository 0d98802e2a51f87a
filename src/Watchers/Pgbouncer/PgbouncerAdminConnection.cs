using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace HaManager.Watchers.Pgbouncer;

/// <summary>
/// One open connection to pgbouncer's admin console. The console speaks only PostgreSQL's simple query protocol,
/// which Npgsql never uses; starting psql for every command costs a process and a SCRAM handshake each time, which a
/// switchover pays while clients wait. This keeps one authenticated connection and sends each command as a Query
/// message. Only SCRAM-SHA-256 (pgbouncer's auth_type here) is spoken; anything else is refused with the reason.
/// </summary>
public sealed class PgbouncerAdminConnection : IAsyncDisposable
{
    private const int ProtocolVersion3 = 196608;
    private const string ScramMechanism = "SCRAM-SHA-256";
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;

    private PgbouncerAdminConnection(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    /// <exception cref="PgbouncerAdminException">pgbouncer refused the login (the message says why).</exception>
    /// <exception cref="IOException">The connection failed or broke.</exception>
    public static async Task<PgbouncerAdminConnection> OpenAsync(IPAddress address, int port, string user, string password, CancellationToken cancellationToken)
    {
        var tcp = new TcpClient(address.AddressFamily) { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(address, port, cancellationToken);
            var connection = new PgbouncerAdminConnection(tcp);
            await connection.LogInAsync(user, password, cancellationToken);
            return connection;
        }
        catch (SocketException e)
        {
            tcp.Dispose();
            throw new IOException($"cannot connect to {address}:{port}: {e.Message}", e);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>Runs one admin command; returns its column names and rows, each value as text (null for SQL NULL).</summary>
    /// <exception cref="PgbouncerAdminException">pgbouncer answered the command with an error; the connection stays usable.</exception>
    public async Task<PgbouncerAdminResult> QueryAsync(string command, CancellationToken cancellationToken)
    {
        var text = Encoding.UTF8.GetBytes(command + "\0");
        var message = new byte[5 + text.Length];
        message[0] = (byte)'Q';
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(1), 4 + text.Length);
        text.CopyTo(message, 5);
        await _stream.WriteAsync(message, cancellationToken);

        var rows = new List<IReadOnlyList<string?>>();
        IReadOnlyList<string> columns = [];
        string? error = null;
        while (true)
        {
            var (type, body) = await ReadMessageAsync(cancellationToken);
            switch (type)
            {
                case 'T':
                    columns = ParseRowDescription(body);
                    break;
                case 'D':
                    rows.Add(ParseDataRow(body));
                    break;
                case 'E':
                    error = ErrorText(body);
                    break;
                case 'Z':
                    if (error is not null) throw new PgbouncerAdminException(error);
                    return new PgbouncerAdminResult(columns, rows);
                default:
                    break; // CommandComplete, notices, parameter changes: nothing the caller needs
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            await _stream.WriteAsync(new byte[] { (byte)'X', 0, 0, 0, 4 }, timeout.Token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Closing anyway: pgbouncer drops a client whose socket closes.
        }

        _tcp.Dispose();
    }

    private async Task LogInAsync(string user, string password, CancellationToken cancellationToken)
    {
        await SendStartupAsync(user, cancellationToken);
        ScramClient? scram = null;
        while (true)
        {
            var (type, body) = await ReadMessageAsync(cancellationToken);
            if (type == 'E') throw new PgbouncerAdminException(ErrorText(body));
            if (type == 'Z') return;
            if (type != 'R') continue; // ParameterStatus, BackendKeyData
            var code = BinaryPrimitives.ReadInt32BigEndian(body);
            var data = body.AsSpan(4);
            switch (code)
            {
                case 0:
                    break;
                case 10:
                    if (!Mechanisms(data).Contains(ScramMechanism, StringComparer.Ordinal))
                        throw new PgbouncerAdminException($"pgbouncer offers {string.Join(", ", Mechanisms(data))}, not {ScramMechanism}");
                    scram = new ScramClient(password);
                    await SendSaslInitialAsync(scram.ClientFirstMessage, cancellationToken);
                    break;
                case 11:
                    if (scram is null) throw new PgbouncerAdminException("pgbouncer continued a SCRAM exchange that was never started");
                    await SendAsync('p', Encoding.UTF8.GetBytes(scram.ClientFinalMessage(Encoding.UTF8.GetString(data))), cancellationToken);
                    break;
                case 12:
                    if (scram is null || !scram.ServerSignatureMatches(Encoding.UTF8.GetString(data)))
                        throw new PgbouncerAdminException("pgbouncer's SCRAM server signature does not match: it does not know this password");
                    break;
                default:
                    throw new PgbouncerAdminException($"pgbouncer asks for authentication method {code}; only {ScramMechanism} is supported (auth_type = scram-sha-256)");
            }
        }
    }

    private async Task SendStartupAsync(string user, CancellationToken cancellationToken)
    {
        var parameters = Encoding.UTF8.GetBytes($"user\0{user}\0database\0pgbouncer\0\0");
        var message = new byte[8 + parameters.Length];
        BinaryPrimitives.WriteInt32BigEndian(message, message.Length);
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(4), ProtocolVersion3);
        parameters.CopyTo(message, 8);
        await _stream.WriteAsync(message, cancellationToken);
    }

    private Task SendSaslInitialAsync(string clientFirst, CancellationToken cancellationToken)
    {
        var mechanism = Encoding.UTF8.GetBytes(ScramMechanism + "\0");
        var response = Encoding.UTF8.GetBytes(clientFirst);
        var body = new byte[mechanism.Length + 4 + response.Length];
        mechanism.CopyTo(body, 0);
        BinaryPrimitives.WriteInt32BigEndian(body.AsSpan(mechanism.Length), response.Length);
        response.CopyTo(body, mechanism.Length + 4);
        return SendAsync('p', body, cancellationToken);
    }

    private async Task SendAsync(char type, byte[] body, CancellationToken cancellationToken)
    {
        var message = new byte[5 + body.Length];
        message[0] = (byte)type;
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(1), 4 + body.Length);
        body.CopyTo(message, 5);
        await _stream.WriteAsync(message, cancellationToken);
    }

    private async Task<(char Type, byte[] Body)> ReadMessageAsync(CancellationToken cancellationToken)
    {
        var header = new byte[5];
        await _stream.ReadExactlyAsync(header, cancellationToken);
        var length = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(1));
        if (length is < 4 or > 1 << 24) throw new IOException($"pgbouncer sent a message of impossible length {length}");
        var body = new byte[length - 4];
        await _stream.ReadExactlyAsync(body, cancellationToken);
        return ((char)header[0], body);
    }

    private static List<string> Mechanisms(ReadOnlySpan<byte> data) =>
        Encoding.UTF8.GetString(data).Split('\0', StringSplitOptions.RemoveEmptyEntries).ToList();

    /// <summary>Each field: name, then table OID, column number, type OID, size, modifier, format (18 bytes).</summary>
    private static IReadOnlyList<string> ParseRowDescription(byte[] body)
    {
        var count = BinaryPrimitives.ReadInt16BigEndian(body);
        var names = new List<string>(count);
        var offset = 2;
        for (var i = 0; i < count; i++)
        {
            var end = Array.IndexOf(body, (byte)0, offset);
            if (end < 0) throw new IOException("pgbouncer sent a malformed row description");
            names.Add(Encoding.UTF8.GetString(body, offset, end - offset));
            offset = end + 1 + 18;
        }

        return names;
    }

    private static IReadOnlyList<string?> ParseDataRow(byte[] body)
    {
        var count = BinaryPrimitives.ReadInt16BigEndian(body);
        var columns = new string?[count];
        var offset = 2;
        for (var i = 0; i < count; i++)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(body.AsSpan(offset));
            offset += 4;
            if (length < 0) continue;
            columns[i] = Encoding.UTF8.GetString(body, offset, length);
            offset += length;
        }

        return columns;
    }

    /// <summary>The M (message) field of an ErrorResponse, with its D (detail) when there is one.</summary>
    private static string ErrorText(byte[] body)
    {
        string? message = null, detail = null;
        var offset = 0;
        while (offset < body.Length && body[offset] != 0)
        {
            var field = (char)body[offset++];
            var end = Array.IndexOf(body, (byte)0, offset);
            if (end < 0) break;
            var value = Encoding.UTF8.GetString(body, offset, end - offset);
            offset = end + 1;
            if (field == 'M') message = value;
            else if (field == 'D') detail = value;
        }

        return (message ?? "unknown error") + (detail is null ? string.Empty : $" ({detail})");
    }

    /// <summary>The client side of SCRAM-SHA-256 (RFC 7677) without channel binding, as libpq does it over plain TCP.</summary>
    private sealed class ScramClient(string password)
    {
        private readonly string _clientNonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        private string _authMessage = string.Empty;
        private byte[] _saltedPassword = [];

        private string ClientFirstBare => $"n=,r={_clientNonce}";

        public string ClientFirstMessage => "n,," + ClientFirstBare;

        public string ClientFinalMessage(string serverFirst)
        {
            var fields = Fields(serverFirst);
            if (!fields.TryGetValue('r', out var nonce) || !nonce.StartsWith(_clientNonce, StringComparison.Ordinal)
                || !fields.TryGetValue('s', out var salt) || !fields.TryGetValue('i', out var iterationText)
                || !int.TryParse(iterationText, out var iterations) || iterations < 1)
                throw new PgbouncerAdminException($"pgbouncer's SCRAM challenge is malformed: '{serverFirst}'");

            _saltedPassword = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), Convert.FromBase64String(salt), iterations, HashAlgorithmName.SHA256, 32);
            var clientKey = HMACSHA256.HashData(_saltedPassword, "Client Key"u8);
            var withoutProof = $"c=biws,r={nonce}";
            _authMessage = $"{ClientFirstBare},{serverFirst},{withoutProof}";
            var signature = HMACSHA256.HashData(SHA256.HashData(clientKey), Encoding.UTF8.GetBytes(_authMessage));
            for (var i = 0; i < clientKey.Length; i++) clientKey[i] ^= signature[i];
            return $"{withoutProof},p={Convert.ToBase64String(clientKey)}";
        }

        public bool ServerSignatureMatches(string serverFinal)
        {
            if (!Fields(serverFinal).TryGetValue('v', out var verifier)) return false;
            var serverKey = HMACSHA256.HashData(_saltedPassword, "Server Key"u8);
            var expected = HMACSHA256.HashData(serverKey, Encoding.UTF8.GetBytes(_authMessage));
            var sent = new byte[expected.Length];
            return Convert.TryFromBase64String(verifier, sent, out var written) && written == expected.Length
                && CryptographicOperations.FixedTimeEquals(expected, sent);
        }

        private static Dictionary<char, string> Fields(string message) =>
            message.Split(',').Where(f => f.Length >= 2 && f[1] == '=').GroupBy(f => f[0]).ToDictionary(g => g.Key, g => g.First()[2..]);
    }
}

/// <summary>What an admin command returned: column names and rows of text values.</summary>
public sealed record PgbouncerAdminResult(IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string?>> Rows)
{
    /// <summary>The value of <paramref name="column"/> in the first row whose first column is <paramref name="key"/>; null when either is missing.</summary>
    public string? Value(string key, string column)
    {
        var index = Columns.ToList().IndexOf(column);
        return index < 0 ? null : Rows.FirstOrDefault(r => r.Count > index && r[0] == key)?[index];
    }
}

/// <summary>pgbouncer's admin console answered with an error (the message is pgbouncer's own).</summary>
public sealed class PgbouncerAdminException(string message) : Exception(message);
