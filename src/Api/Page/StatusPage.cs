using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace HaManager.Api.Page;

/// <summary>
/// The status page (GET /): one self-contained HTML file with inline CSS and JavaScript, embedded in the
/// assembly. Its Content-Security-Policy allows exactly its own inline script and style (by hash) and
/// requests to this node only: nothing outside the cluster can be reached, and nothing injected would run.
/// </summary>
public static partial class StatusPage
{
    public const string ContentType = "text/html; charset=utf-8";

    public static byte[] Html { get; } = Load();

    public static string ContentSecurityPolicy { get; } =
        $"default-src 'none'; script-src {Hashes("script")}; style-src {Hashes("style")}; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static byte[] Load()
    {
        using var stream = typeof(StatusPage).Assembly.GetManifestResourceStream("HaManager.Api.status.html")
            ?? throw new InvalidOperationException("the status page is not embedded in HaManager.Api");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string Hashes(string element)
    {
        var html = Encoding.UTF8.GetString(Html);
        var hashes = Inline().Matches(html).Where(m => m.Groups["tag"].Value == element)
            .Select(m => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(m.Groups["body"].Value)))}'");
        return string.Join(' ', hashes);
    }

    [GeneratedRegex("<(?<tag>script|style)>(?<body>.*?)</\\k<tag>>", RegexOptions.Singleline)]
    private static partial Regex Inline();
}
