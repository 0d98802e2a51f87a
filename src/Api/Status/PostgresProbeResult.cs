using System.Net;

namespace HaManager.Api.Status;

/// <param name="Role">"primary", "standby" or "unknown" (unreachable).</param>
/// <param name="StandbyLagBytes">On a primary: replay lag per connected standby (application_name = node name).</param>
public sealed record PostgresProbeResult(string Role, IPAddress? UpstreamHost, IReadOnlyDictionary<string, long> StandbyLagBytes, string? Error = null)
{
    public static PostgresProbeResult Unreachable(string error) => new("unknown", null, new Dictionary<string, long>(), error);
}
