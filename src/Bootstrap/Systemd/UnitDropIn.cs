using System.Text;

namespace HaManager.Bootstrap.Systemd;

/// <summary>
/// A drop-in (/etc/systemd/system/UNIT.d/hamanager.conf) that gives a packaged unit the commands and
/// paths this node's settings name, so the unit files themselves stay generic (Debian and PGDG layouts,
/// another data directory or port). Commands come only from local settings, never from KV.
/// </summary>
public sealed record UnitDropIn(string Unit, IReadOnlyList<(string Directive, IReadOnlyList<string>? Command, string? Value)> Settings)
{
    public const string DefaultSystemdDirectory = "/etc/systemd/system";
    public const string FileName = "hamanager.conf";

    public string PathIn(string systemdDirectory) => Path.Combine(systemdDirectory, Unit + ".d", FileName);

    public string Render(string source)
    {
        var text = new StringBuilder();
        text.Append("# Written by `hamanager bootstrap` from ").Append(source).Append(": re-run bootstrap after changing the settings.\n[Service]\n");
        foreach (var (directive, command, value) in Settings)
        {
            if (command is not null)
            {
                // An Exec*= line is a list in systemd: an empty assignment first replaces the packaged one.
                text.Append(directive).Append("=\n").Append(directive).Append('=').Append(string.Join(' ', command.Select(Quote))).Append('\n');
            }
            else
            {
                text.Append(directive).Append('=').Append(Escape(value!)).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>systemd's command-line quoting: specifiers (%) and variables ($) escaped, a word with a space in double quotes.</summary>
    public static string Quote(string word)
    {
        if (word.Any(c => char.IsControl(c) || c is '"' or '\\')) throw new FormatException($"'{word}' cannot be written into a systemd unit");
        var escaped = Escape(word).Replace("$", "$$", StringComparison.Ordinal);
        return escaped.Length == 0 || escaped.Contains(' ', StringComparison.Ordinal) ? $"\"{escaped}\"" : escaped;
    }

    private static string Escape(string value) => value.Replace("%", "%%", StringComparison.Ordinal);
}
