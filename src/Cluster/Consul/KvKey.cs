namespace HaManager.Cluster.Consul;

/// <summary>Key rules shared by ConsulClient and InMemoryKvStore so both reject the same keys.</summary>
internal static class KvKey
{
    /// <summary>A key naming one entry: must not be empty.</summary>
    public static void ValidateKey(string key, string paramName)
    {
        ArgumentNullException.ThrowIfNull(key, paramName);
        if (key.Length == 0)
        {
            throw new ArgumentException("Consul key must not be empty.", paramName);
        }

        ValidateShape(key, paramName);
    }

    /// <summary>A prefix for listing: empty means the whole store.</summary>
    public static void ValidatePrefix(string prefix, string paramName)
    {
        ArgumentNullException.ThrowIfNull(prefix, paramName);
        if (prefix.Length > 0)
        {
            ValidateShape(prefix, paramName);
        }
    }

    /// <summary>Escapes each '/'-separated segment so '?', '#', '%' and spaces stay part of the key.</summary>
    public static string EncodePath(string key) =>
        string.Join('/', key.Split('/').Select(Uri.EscapeDataString));

    private static void ValidateShape(string key, string paramName)
    {
        if (key[0] == '/')
        {
            throw Invalid(key, "must not start with '/'", paramName);
        }

        foreach (var c in key)
        {
            if (char.IsControl(c))
            {
                throw Invalid(key, $"must not contain control characters (found U+{(int)c:X4})", paramName);
            }
        }

        var segments = key.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];

            // Consul's HTTP mux cleans paths and answers dot segments and '//' with a redirect, which would
            // silently address another key (or turn a PUT into a GET); a trailing '/' is a legal "folder" key.
            if (segment is "." or "..")
            {
                throw Invalid(key, "must not contain '.' or '..' segments", paramName);
            }

            if (segment.Length == 0 && i < segments.Length - 1)
            {
                throw Invalid(key, "must not contain empty segments ('//')", paramName);
            }
        }
    }

    private static ArgumentException Invalid(string key, string reason, string paramName)
    {
        var printable = string.Concat(key.Select(c => char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString()));
        return new ArgumentException($"Invalid Consul key '{printable}': {reason}.", paramName);
    }
}
