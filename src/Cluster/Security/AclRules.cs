using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using HaManager.Cluster.Model;

namespace HaManager.Cluster.Security;

/// <summary>
/// Builds Consul 1.8 ACL rules (HCL), one rule a line. Every name and path is checked against an allow-list before
/// it is placed between quotes, so no value can close the string and add a rule of its own.
/// </summary>
public sealed partial class AclRules
{
    private readonly StringBuilder _text = new();

    public AclRules Comment(string text)
    {
        if (text.Any(char.IsControl))
        {
            throw new ArgumentException("an ACL rules comment must be one line", nameof(text));
        }

        _text.Append("# ").Append(text).Append('\n');
        return this;
    }

    public AclRules Key(string key, AclAccess access) => Rule("key", Path(key, allowEmpty: false), access);

    public AclRules KeyPrefix(string prefix, AclAccess access) => Rule("key_prefix", Path(prefix, allowEmpty: true), access);

    public AclRules Node(NodeName node, AclAccess access) => Rule("node", node.Value, access);

    public AclRules NodePrefix(string prefix, AclAccess access) => Rule("node_prefix", Name(prefix), access);

    public AclRules Agent(NodeName node, AclAccess access) => Rule("agent", node.Value, access);

    public AclRules AgentPrefix(string prefix, AclAccess access) => Rule("agent_prefix", Name(prefix), access);

    public AclRules Session(NodeName node, AclAccess access) => Rule("session", node.Value, access);

    public AclRules SessionPrefix(string prefix, AclAccess access) => Rule("session_prefix", Name(prefix), access);

    public AclRules ServicePrefix(string prefix, AclAccess access) => Rule("service_prefix", Name(prefix), access);

    public AclRules Operator(AclAccess access)
    {
        if (access is AclAccess.List)
        {
            throw new ArgumentException("operator rules take deny, read or write", nameof(access));
        }

        _text.Append("operator = \"").Append(Word(access)).Append("\"\n");
        return this;
    }

    public override string ToString() => _text.ToString();

    private AclRules Rule(string kind, string name, AclAccess access)
    {
        if (access is AclAccess.List && kind is not ("key" or "key_prefix"))
        {
            throw new ArgumentException($"'list' applies only to key rules, not to {kind}", nameof(access));
        }

        _text.Append(CultureInfo.InvariantCulture, $"{kind} \"{name}\" {{ policy = \"{Word(access)}\" }}\n");
        return this;
    }

    private static string Word(AclAccess access) => access switch
    {
        AclAccess.Deny => "deny",
        AclAccess.Read => "read",
        AclAccess.List => "list",
        AclAccess.Write => "write",
        _ => throw new ArgumentOutOfRangeException(nameof(access), access, null),
    };

    private static string Path(string value, bool allowEmpty)
    {
        ArgumentNullException.ThrowIfNull(value);
        if ((value.Length == 0 && !allowEmpty) || !PathPattern().IsMatch(value) || value.Split('/').Any(s => s is "." or ".."))
        {
            throw new ArgumentException($"'{NodeName.Printable(value)}' cannot go into an ACL rule (KV paths here use letters, digits, '.', '-', '_' and '/')", nameof(value));
        }

        return value;
    }

    private static string Name(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return NamePattern().IsMatch(value)
            ? value
            : throw new ArgumentException($"'{NodeName.Printable(value)}' cannot go into an ACL rule (names use letters, digits, '-' and '_')", nameof(value));
    }

    [GeneratedRegex("^[A-Za-z0-9._/-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex PathPattern();

    [GeneratedRegex("^[A-Za-z0-9_-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
