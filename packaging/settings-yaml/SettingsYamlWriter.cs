using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using HaManager.Cluster.Settings;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace HaManager.Packaging.SettingsYaml;

/// <summary>
/// Writes every setting of <see cref="HaManagerSettings"/> with its built-in default, each under its
/// description. The node section is active (node.address must be set); every other section is
/// commented out sshd_config-style: setting lines start with '#' directly ("#consul:",
/// "#  kv_prefix: hamanager/"), prose lines with "# " or sit indented inside a section, so removing
/// one leading '#' from setting lines (sed -E 's/^#([^ ]|  )/\1/') gives a file of all defaults.
/// </summary>
public static partial class SettingsYamlWriter
{
    private const int Width = 100;

    public static string Write(HaManagerSettings defaults, IReadOnlyDictionary<string, string> descriptions)
    {
        var problems = new List<string>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        var body = new StringBuilder();
        foreach (var property in SettingProperties(typeof(HaManagerSettings)))
        {
            var active = property.Name == nameof(HaManagerSettings.Node);
            body.AppendLine();
            WriteProperty(body, property, property.GetValue(defaults), 0, active, descriptions, used, problems);
        }

        problems.AddRange(descriptions.Keys.Where(k => !used.Contains(k)).Select(k => $"description '{k}' names no setting"));
        if (problems.Count > 0) throw new InvalidOperationException("settings and descriptions disagree:\n  " + string.Join("\n  ", problems));
        return Header + body;
    }

    private const string Header = """
        # /etc/hamanager/hamanager.yaml: HaManager's settings for this node.
        #
        # Read by every hamanager command (bootstrap, watch, notify, status). Another file can be given
        # with --config FILE or HAMANAGER_CONFIG. Service commands and paths come only from this file,
        # never from Consul KV.
        #
        # Every setting is listed with its built-in default. Only the node section is active: set
        # node.address. To change anything else, remove the leading '#' from the section line and from
        # the setting line (keep the two-space indentation) and edit the value.
        # Generated from src/Cluster/Settings by packaging/settings-yaml.

        """;

    /// <summary>Removes the '#' that comments out each setting line, leaving prose comments alone.</summary>
    public static string Uncomment(string yaml) => CommentedSetting().Replace(yaml, "$1");

    private static void WriteProperty(StringBuilder output, PropertyInfo property, object? value, int depth, bool active,
        IReadOnlyDictionary<string, string> descriptions, HashSet<string> used, List<string> problems)
    {
        var indent = new string(' ', depth * 2);
        var marker = active ? "" : "#";
        var key = $"{property.DeclaringType!.Name}.{property.Name}";
        if (descriptions.TryGetValue(key, out var description))
        {
            used.Add(key);
            // Top-level prose: "# text". Inside a commented section: "#  # text", which stays a comment once uncommented.
            var prefix = depth == 0 ? "# " : $"{marker}{indent}# ";
            foreach (var line in Wrap(description, Width - prefix.Length)) output.Append(prefix).AppendLine(line);
        }
        else
        {
            problems.Add($"setting '{key}' has no description in Descriptions.cs");
        }

        var name = UnderscoredNamingConvention.Instance.Apply(property.Name);
        if (IsSection(property.PropertyType))
        {
            output.Append(marker).Append(indent).Append(name).AppendLine(":");
            foreach (var child in SettingProperties(property.PropertyType))
                WriteProperty(output, child, child.GetValue(value), depth + 1, active, descriptions, used, problems);
        }
        else
        {
            output.Append(marker).Append(indent).Append(name).Append(": ").AppendLine(Scalar(value));
        }
    }

    private static IEnumerable<PropertyInfo> SettingProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.GetCustomAttribute<YamlIgnoreAttribute>() is null);

    private static bool IsSection(Type type) =>
        type.IsClass && type != typeof(string) && !typeof(IEnumerable).IsAssignableFrom(type);

    private static string Scalar(object? value) => value switch
    {
        null => "null",
        string s => Quote(s),
        Enum e => UnderscoredNamingConvention.Instance.Apply(e.ToString()),
        int or long => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        bool b => b ? "true" : "false",
        IEnumerable<string> list => "[" + string.Join(", ", list.Select(Quote)) + "]",
        _ => throw new InvalidOperationException($"no YAML form for a default of type {value.GetType().Name}; extend SettingsYamlWriter.Scalar"),
    };

    private static string Quote(string text) =>
        PlainScalar().IsMatch(text) && !ReservedWord().IsMatch(text)
            ? text
            : "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static IEnumerable<string> Wrap(string text, int width)
    {
        var line = new StringBuilder();
        foreach (var word in text.Split(' '))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                yield return line.ToString();
                line.Clear();
            }

            if (line.Length > 0) line.Append(' ');
            line.Append(word);
        }

        if (line.Length > 0) yield return line.ToString();
    }

    [GeneratedRegex("^#([^ #\\n]|  )", RegexOptions.Multiline)]
    private static partial Regex CommentedSetting();

    [GeneratedRegex("^[A-Za-z0-9_/.@-][A-Za-z0-9_/.:@-]*$")]
    private static partial Regex PlainScalar();

    /// <summary>Words YAML would read as booleans, nulls or numbers.</summary>
    [GeneratedRegex("^(?i:y|n|yes|no|true|false|on|off|null|~|[-+.0-9][0-9_.eE+-]*)$")]
    private static partial Regex ReservedWord();
}
