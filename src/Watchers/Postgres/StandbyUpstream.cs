using System.Globalization;
using System.Net;
using System.Text;
using HaManager.Cluster.Model;

namespace HaManager.Watchers.Postgres;

/// <summary>
/// Where a standby streams from: the one place that spells primary_conninfo and the slot name, used when
/// a standby is re-pointed (ALTER SYSTEM) and when a rewound or cloned node is configured (auto.conf).
/// Built only from parsed values: an address, a port, node names, a local path.
/// </summary>
public sealed record StandbyUpstream(NodeName UpstreamNode, IPAddress Host, int Port, NodeName Self, int SelfNodeId, string PassFile)
{
    /// <summary>repmgr's slot naming, kept so repmgr's own tools recognise the slots.</summary>
    public static string SlotName(int nodeId) => "repmgr_slot_" + nodeId.ToString(CultureInfo.InvariantCulture);

    public string SlotNameForSelf => SlotName(SelfNodeId);

    public string Conninfo =>
        $"host={Host} port={Port.ToString(CultureInfo.InvariantCulture)} user=repmgr application_name={Self} connect_timeout=2 passfile={Quote(PassFile)}";

    /// <summary>The two settings as postgresql.auto.conf lines.</summary>
    public string AutoConfLines => $"primary_conninfo = {ConfString(Conninfo)}\nprimary_slot_name = {ConfString(SlotNameForSelf)}\n";

    /// <summary>libpq conninfo quoting: single quotes, with backslash and quote escaped.</summary>
    private static string Quote(string value) => "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    /// <summary>postgresql.conf string quoting: a single quote is doubled.</summary>
    public static string ConfString(string value)
    {
        var builder = new StringBuilder("'");
        foreach (var c in value)
        {
            if (c is '\n' or '\r' or '\0') throw new FormatException("a configuration value cannot contain line breaks or NUL");
            builder.Append(c == '\'' ? "''" : c.ToString());
        }

        return builder.Append('\'').ToString();
    }
}
