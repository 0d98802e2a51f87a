using System.Globalization;
using HaManager.Api.State;
using HaManager.Watchers.Postgres;

namespace HaManager.Api.Rules;

/// <summary>
/// The decisions behind /primary, /replica and /health, from one <see cref="NodeFacts"/> and nothing else:
/// pure, so every rule is tested without a server. Each answer carries one sentence that says why.
/// What this node knows of KV is never discarded for being old — a Consul outage must not make a load
/// balancer drop the running primary — but its age is always reported.
/// </summary>
public static class EndpointRules
{
    public const string WalReceiverStreaming = "streaming";

    /// <summary>200 only when the local PostgreSQL is a writable primary and KV names this node as the primary.</summary>
    public static EndpointAnswer Primary(NodeFacts facts, StalenessLimits limits)
    {
        if (LocalPostgresProblem(facts, limits) is { } problem) return No(facts, limits, problem);
        var state = facts.Postgres!.Value;
        if (state.InRecovery) return No(facts, limits, $"the local PostgreSQL is a standby{UpstreamOf(state)}; the primary is {facts.RegisteredPrimary ?? "not known"}");
        if (facts.RegisteredPrimary is null)
        {
            return No(facts, limits, facts.KvSeen
                ? "the local PostgreSQL is writable but KV names no primary (or one it cannot vouch for)"
                : "the local PostgreSQL is writable but this node has not read KV yet");
        }

        if (facts.RegisteredPrimary != facts.Node)
            return No(facts, limits, $"the local PostgreSQL is writable but KV names {facts.RegisteredPrimary} as the primary: this node is to be fenced");
        return Yes(facts, limits, $"{facts.Node} is the registered primary and its PostgreSQL accepts writes{KvAgeNote(facts)}");
    }

    /// <summary>200 on a standby whose WAL receiver streams and, when <paramref name="maxLagBytes"/> is given, whose replay lag is known and within it.</summary>
    public static EndpointAnswer Replica(NodeFacts facts, StalenessLimits limits, long? maxLagBytes)
    {
        if (LocalPostgresProblem(facts, limits) is { } problem) return No(facts, limits, problem);
        var state = facts.Postgres!.Value;
        if (!state.InRecovery) return No(facts, limits, "the local PostgreSQL is the primary, not a replica");
        if (state.WalReceiverStatus != WalReceiverStreaming)
        {
            var receiver = state.WalReceiverStatus is null ? "no WAL receiver runs" : $"its WAL receiver is {state.WalReceiverStatus}";
            return Of(Body(facts, limits, false, $"the local standby does not stream: {receiver}") with { Streaming = false });
        }

        var lag = facts.Cluster.LagBytesOf(facts.Node);
        var streams = $"the local standby streams{UpstreamOf(state)}";
        var unknown = facts.ClusterAge is not { } age ? "no cluster reading yet"
            : age > limits.ReplicaLag ? $"the last cluster reading is {Seconds(age)} s old"
            : lag is null ? "the primary does not report this standby"
            : null;
        var (ok, reason) = maxLagBytes switch
        {
            null => (true, streams),
            _ when unknown is not null => (false, $"{streams} but its lag is unknown: {unknown}"),
            { } max when lag > max => (false, $"{streams} but lags {lag} bytes, more than max_lag_bytes={max}"),
            { } max => (true, $"{streams}, {lag} bytes behind (max_lag_bytes={max})"),
        };
        return Of(Body(facts, limits, ok, reason) with { Streaming = true, LagBytes = lag, MaxLagBytes = maxLagBytes });
    }

    /// <summary>200 when the local PostgreSQL answers, the local Consul agent answers, and every service this node runs is running.</summary>
    public static EndpointAnswer Health(NodeFacts facts, StalenessLimits limits)
    {
        var problems = new List<string>();
        if (LocalPostgresProblem(facts, limits) is { } postgres) problems.Add(postgres);
        if (facts.ConsulAge is not { } consulAge) problems.Add("the local Consul agent has not answered yet");
        else if (consulAge > limits.Consul) problems.Add($"the local Consul agent has not answered for {Seconds(consulAge)} s");
        Dictionary<string, bool>? services = null;
        if (facts.Services is not { } checks) problems.Add("the local services have not been checked yet");
        else
        {
            services = checks.Value.ToDictionary(c => c.Service, c => c.Running, StringComparer.Ordinal);
            if (facts.ServicesAge > limits.Services) problems.Add($"the local services were last checked {Seconds(facts.ServicesAge!.Value)} s ago");
            var stopped = checks.Value.Where(c => !c.Running).Select(c => c.Service).ToList();
            if (stopped.Count > 0) problems.Add($"not running: {string.Join(", ", stopped)}");
        }

        var ok = problems.Count == 0;
        var reason = ok ? $"PostgreSQL, Consul and {services!.Count} services run on {facts.Node}" : string.Join("; ", problems);
        return Of(Body(facts, limits, ok, reason) with { Services = services });
    }

    /// <summary>primary, standby, stopped (does not answer) or unknown (never read, or not for too long).</summary>
    public static string Role(NodeFacts facts, StalenessLimits limits) => facts.Postgres is not { } read || read.AgeAt(facts.Now) > limits.Postgres ? "unknown"
        : !read.Value.Answered ? "stopped"
        : read.Value.InRecovery ? "standby"
        : "primary";

    private static string? LocalPostgresProblem(NodeFacts facts, StalenessLimits limits)
    {
        if (facts.Postgres is not { } read) return "the local PostgreSQL has not been read yet";
        var age = read.AgeAt(facts.Now);
        if (age > limits.Postgres) return $"the local PostgreSQL has not answered for {Seconds(age)} s";
        return read.Value.Answered ? null : "the local PostgreSQL does not answer";
    }

    private static string UpstreamOf(PostgresState state) => state.UpstreamHost is { } host ? $" from {host}" : string.Empty;

    /// <summary>A primary answer older than a few seconds of KV knowledge is still an answer, but says so.</summary>
    private static string KvAgeNote(NodeFacts facts) => facts.ConsulAge is { } age && age > TimeSpan.FromSeconds(5)
        ? $" (as of KV {Seconds(age)} s ago: Consul does not answer)"
        : facts.ConsulAge is null ? " (Consul has not answered since this process started)" : string.Empty;

    private static EndpointAnswer Yes(NodeFacts facts, StalenessLimits limits, string reason) => Of(Body(facts, limits, true, reason));

    private static EndpointAnswer No(NodeFacts facts, StalenessLimits limits, string reason) => Of(Body(facts, limits, false, reason));

    private static EndpointAnswer Of(EndpointBody body) => new(body.Ok ? EndpointAnswer.Yes : EndpointAnswer.No, body);

    private static EndpointBody Body(NodeFacts facts, StalenessLimits limits, bool ok, string reason) =>
        new(facts.Node, ok, reason, Role(facts, limits), facts.RegisteredPrimary,
            new DataAges(Milliseconds(facts.PostgresAge), Milliseconds(facts.ConsulAge), Milliseconds(facts.ClusterAge), Milliseconds(facts.ServicesAge)));

    private static long? Milliseconds(TimeSpan? age) => age is { } a ? (long)a.TotalMilliseconds : null;

    private static string Seconds(TimeSpan age) => age.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
}
