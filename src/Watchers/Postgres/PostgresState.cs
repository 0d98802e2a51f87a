namespace HaManager.Watchers.Postgres;

/// <summary>What the local PostgreSQL says about itself, read in one query over its socket.</summary>
/// <param name="Answered">False when PostgreSQL did not answer (stopped, starting, or hung); every other field is then empty.</param>
/// <param name="ReceiveLsn">Standby: WAL received and flushed (what a promotion would replay); primary: the current insert position.</param>
/// <param name="UpstreamHost">Standby: the host in primary_conninfo.</param>
/// <param name="FreshStandbys">Primary: standbys streaming from it that replied within the freshness window.</param>
public sealed record PostgresState(
    bool Answered,
    bool InRecovery,
    ulong? ReceiveLsn,
    string? UpstreamHost,
    string? WalReceiverStatus,
    int FreshStandbys)
{
    public static PostgresState NotAnswering { get; } = new(false, false, null, null, null, 0);

    public bool IsPrimary => Answered && !InRecovery;
    public bool IsStandby => Answered && InRecovery;

    /// <summary>An LSN as PostgreSQL prints it (e.g. 0/5003908).</summary>
    public static string FormatLsn(ulong lsn) => $"{lsn >> 32:X}/{lsn & 0xFFFFFFFF:X}";

    public static bool TryParseLsn(string? text, out ulong lsn)
    {
        lsn = 0;
        var parts = text?.Split('/');
        if (parts is not { Length: 2 }) return false;
        if (!uint.TryParse(parts[0], System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var high)) return false;
        if (!uint.TryParse(parts[1], System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var low)) return false;
        lsn = ((ulong)high << 32) | low;
        return true;
    }
}
