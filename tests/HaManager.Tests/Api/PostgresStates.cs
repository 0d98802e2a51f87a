using HaManager.Watchers.Postgres;

namespace HaManager.Tests.Api;

internal static class PostgresStates
{
    public static PostgresState Primary { get; } = new(true, false, 0x5003908, null, null, 2);

    public static PostgresState Standby(string status = "streaming", string upstream = "10.231.0.11") => new(true, true, 0x5003908, upstream, status, 0);
}
