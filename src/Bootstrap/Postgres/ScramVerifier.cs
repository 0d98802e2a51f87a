using System.Security.Cryptography;
using System.Text;

namespace HaManager.Bootstrap.Postgres;

/// <summary>
/// The SCRAM-SHA-256 verifier PostgreSQL stores for a password (RFC 5802/7677, PostgreSQL's text form
/// <c>SCRAM-SHA-256$iterations:salt$StoredKey:ServerKey</c>). CREATE/ALTER ROLE … PASSWORD takes it as it is, so the
/// clear password never reaches the server: not its statement log (log_statement = ddl, or the STATEMENT line
/// logged with any error), not pg_stat_activity, not a server-side error message.
/// </summary>
public static class ScramVerifier
{
    public const int Iterations = 4096;
    private const int SaltLength = 16;

    public static string Compute(string password) => Compute(password, RandomNumberGenerator.GetBytes(SaltLength), Iterations);

    /// <summary>The password must be plain ASCII (PostgresSecrets guarantees it), for which SASLprep changes nothing.</summary>
    public static string Compute(string password, byte[] salt, int iterations)
    {
        if (password.Any(c => c > 0x7e || c < 0x21)) throw new ArgumentException("only printable ASCII passwords are supported (SASLprep is not implemented)", nameof(password));
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, 32);
        var clientKey = HMACSHA256.HashData(salted, "Client Key"u8);
        var storedKey = SHA256.HashData(clientKey);
        var serverKey = HMACSHA256.HashData(salted, "Server Key"u8);
        return $"SCRAM-SHA-256${iterations.ToString(System.Globalization.CultureInfo.InvariantCulture)}:{Convert.ToBase64String(salt)}" +
               $"${Convert.ToBase64String(storedKey)}:{Convert.ToBase64String(serverKey)}";
    }
}
