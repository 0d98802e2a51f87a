using System.Collections;
using System.Globalization;
using System.Reflection;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace HaManager.Cluster.Settings;

/// <summary>
/// Checks a settings document against the settings classes before YamlDotNet binds it, so every mistake is
/// reported in the file's own terms (line, column, the setting's YAML path, the value and what is expected)
/// and never in .NET's ("Property not found on type …", "System.Int32"). Reports every mistake at once.
/// </summary>
internal static class SettingsYamlChecker
{
    private static readonly INamingConvention Naming = UnderscoredNamingConvention.Instance;

    /// <summary>The YAML path a property has in the file: "keepalived.track_file".</summary>
    public static string YamlName(PropertyInfo property) => Naming.Apply(property.Name);

    /// <summary>The properties that are settings, in declaration order (what the file may contain).</summary>
    public static IEnumerable<PropertyInfo> Settings(Type section) =>
        section.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.GetCustomAttribute<YamlIgnoreAttribute>() is null);

    /// <summary>Loads the document; a YAML syntax error becomes one problem naming the last setting read before it.</summary>
    public static YamlNode? Load(string yaml, List<SettingsProblem> problems)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            var (key, _) = LastKeyBefore(yaml, e.Start);
            var reason = YamlReason(e);
            problems.Add(reason.StartsWith("Duplicate key", StringComparison.Ordinal) && key is not null
                ? new SettingsProblem($"{key} is set twice; keep one", (int)e.Start.Line, (int)e.Start.Column)
                : new SettingsProblem(
                    $"this is not valid YAML{(key is null ? "" : $" (after {key})")}: {reason}; check the indentation (two spaces per level) and the quotes",
                    (int)e.Start.Line, (int)e.Start.Column));
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet 16.3's scanner throws this, without a position, for some unclosed flow collections ("[a" on one line).
            var (key, at) = LastKeyBefore(yaml, null);
            problems.Add(new SettingsProblem(
                $"this is not valid YAML{(key is null ? "" : $" (after {key})")}: an unclosed '[', '{{' or quote?",
                (int)(at?.Line ?? 1), (int)(at?.Column ?? 1)));
            return null;
        }

        return stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
    }

    public static void CheckSection(YamlNode node, Type section, string path, List<SettingsProblem> problems)
    {
        if (IsNull(node)) return; // "consul:" with every key commented out: all defaults
        if (node is not YamlMappingNode mapping)
        {
            problems.Add(At(node, $"{Label(path, "the settings file")} must be a section of settings (indented \"key: value\" lines), not {Describe(node)}"));
            return;
        }

        var known = Settings(section).ToDictionary(YamlName, StringComparer.Ordinal);
        foreach (var (keyNode, value) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            var field = path.Length == 0 ? key : $"{path}.{key}";
            if (!known.TryGetValue(key, out var property))
            {
                problems.Add(At(keyNode, $"{field} is not a known setting (known: {string.Join(", ", known.Keys)})"));
                continue;
            }

            CheckValue(value, property.PropertyType, field, problems);
        }
    }

    /// <summary>Where a setting's value is in the file, for problems found after binding ("keepalived.service.start[0]").</summary>
    public static Mark? Locate(YamlNode? root, string path)
    {
        var node = root;
        foreach (var part in path.Split('.'))
        {
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            var key = bracket < 0 ? part : part[..bracket];
            if (node is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out node)) return null;
            if (bracket >= 0 && int.TryParse(part[(bracket + 1)..].TrimEnd(']'), CultureInfo.InvariantCulture, out var index))
            {
                if (node is not YamlSequenceNode sequence || index >= sequence.Children.Count) return node.Start;
                node = sequence.Children[index];
            }
        }

        return node?.Start;
    }

    private static void CheckValue(YamlNode node, Type type, string field, List<SettingsProblem> problems)
    {
        if (type == typeof(string))
        {
            ScalarText(node, field, "a text value (quote it if it contains ': ' or starts with a special character)", problems, emptyHint: "write \"\" for an empty value");
        }
        else if (type == typeof(int))
        {
            if (ScalarText(node, field, "a whole number", problems) is { } text && !int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
                problems.Add(At(node, $"{field}: '{text}' is not a whole number"));
        }
        else if (type == typeof(bool))
        {
            if (ScalarText(node, field, "true or false", problems) is { } text && !bool.TryParse(text, out _))
                problems.Add(At(node, $"{field}: '{text}' is not true or false"));
        }
        else if (type.IsEnum)
        {
            var names = Enum.GetNames(type).Select(Naming.Apply).ToList();
            if (ScalarText(node, field, $"one of {string.Join(", ", names)}", problems) is { } text
                && !names.Contains(text, StringComparer.OrdinalIgnoreCase))
                problems.Add(At(node, $"{field}: '{text}' is not one of {string.Join(", ", names)}"));
        }
        else if (type == typeof(List<string>))
        {
            if (node is YamlSequenceNode sequence)
            {
                for (var i = 0; i < sequence.Children.Count; i++)
                    ScalarText(sequence.Children[i], $"{field}[{i}]", "a text value", problems, emptyHint: "write \"\" for an empty word");
            }
            else
            {
                problems.Add(At(node, IsNull(node)
                    ? $"{field}: has no value; write [] for an empty list"
                    : $"{field}: expected a list such as [/usr/bin/program, --flag], not {Describe(node)}"));
            }
        }
        else if (type.IsClass && !typeof(IEnumerable).IsAssignableFrom(type))
        {
            CheckSection(node, type, field, problems);
        }
        else
        {
            // A settings class gained a property of a kind this checker does not know: a bug, caught by the settings tests.
            throw new InvalidOperationException($"{field}: settings of kind {type.Name} are not checked; extend SettingsYamlChecker");
        }
    }

    /// <returns>The scalar's text, or null when the node is no usable scalar (a problem was added).</returns>
    private static string? ScalarText(YamlNode node, string field, string expected, List<SettingsProblem> problems, string? emptyHint = null)
    {
        if (node is not YamlScalarNode scalar)
        {
            problems.Add(At(node, $"{field}: expected {expected}, not {Describe(node)}"));
            return null;
        }

        if (IsNull(scalar))
        {
            problems.Add(At(node, $"{field}: has no value; {emptyHint ?? $"expected {expected}"}"));
            return null;
        }

        return scalar.Value;
    }

    /// <summary>A plain empty, "~" or "null" scalar: YAML's null, which YamlDotNet would bind as a missing object.</summary>
    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    private static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a section (key: value lines)",
        YamlSequenceNode => "a list",
        YamlScalarNode scalar => $"the value '{scalar.Value}'",
        _ => "an alias",
    };

    private static string Label(string path, string root) => path.Length == 0 ? root : path;

    private static SettingsProblem At(YamlNode node, string message) => new(message, (int)node.Start.Line, (int)node.Start.Column);

    /// <summary>The text of a YamlDotNet error without the "(Line: 3, Col: 5, Idx: 40) - (…): " prefix, which the problem already places.</summary>
    private static string YamlReason(YamlException e)
    {
        var message = e.Message;
        var colon = message.IndexOf("): ", StringComparison.Ordinal);
        if (message.StartsWith("(Line:", StringComparison.Ordinal) && colon > 0) message = message[(colon + 3)..];
        return message.TrimEnd('.');
    }

    /// <summary>
    /// The YAML path of the last key read before an error (at <paramref name="stop"/>, or where the parser fails), so
    /// the message can say where in the settings it is, and where the last event that did parse was.
    /// </summary>
    private static (string? Key, Mark? At) LastKeyBefore(string yaml, Mark? stop)
    {
        var frames = new List<Frame>();
        string? last = null;
        Mark? at = null;
        var parser = new Parser(new StringReader(yaml));
        try
        {
            while (parser.MoveNext() && parser.Current is { } current && (stop is not { } limit || current.Start.Index <= limit.Index))
            {
                at = current.Start;
                switch (current)
                {
                    case Scalar scalar when frames.Count > 0 && frames[^1] is { Mapping: true, AwaitingKey: true } mapping:
                        mapping.Key = scalar.Value;
                        mapping.AwaitingKey = false;
                        last = string.Concat(frames.Select((f, i) => f.Mapping ? (i == 0 ? f.Key : "." + f.Key) : $"[{f.Index}]"));
                        break;
                    case Scalar or AnchorAlias:
                        ValueDone(frames);
                        break;
                    case MappingStart:
                        frames.Add(new Frame { Mapping = true, AwaitingKey = true });
                        break;
                    case SequenceStart:
                        frames.Add(new Frame { Mapping = false });
                        break;
                    case MappingEnd or SequenceEnd:
                        frames.RemoveAt(frames.Count - 1);
                        ValueDone(frames);
                        break;
                }
            }
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException)
        {
            // Expected: this walk stops where the loader did.
        }

        return (last, at);
    }

    private static void ValueDone(List<Frame> frames)
    {
        if (frames.Count == 0) return;
        var top = frames[^1];
        if (top.Mapping) top.AwaitingKey = true;
        else top.Index++;
    }

    private sealed class Frame
    {
        public bool Mapping { get; init; }
        public bool AwaitingKey { get; set; }
        public string Key { get; set; } = "";
        public int Index { get; set; }
    }
}
