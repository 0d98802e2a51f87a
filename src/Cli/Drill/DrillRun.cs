using System.Globalization;
using System.Net;

namespace HaManager.Cli.Drill;

/// <summary>The switchover or the kill the drill measures; null when it went through, else why not.</summary>
public delegate Task<DrillFailure?> DrillAction(CancellationToken cancellationToken);

/// <param name="ExitCode">What `hamanager drill` exits with (the switchover's own code when it was the switchover that failed).</param>
public sealed record DrillFailure(int ExitCode, string Message);

/// <summary>The primary the drill starts from, and every node's address to name the server that took a write.</summary>
public sealed record DrillSubject(string From, IPAddress FromAddress, IReadOnlyDictionary<IPAddress, string> Nodes)
{
    public string? NodeOf(IPAddress? address) => address is not null && Nodes.TryGetValue(address, out var name) ? name : null;

    public string Describe(IPAddress? address) => address is null ? "a server that does not say which" : $"{NodeOf(address) ?? "an unregistered server"} ({address})";
}

/// <param name="Duration">How long the writer writes at least (counted from its start), and how long the cluster has to recover.</param>
public sealed record DrillTimings(TimeSpan Duration)
{
    /// <summary>Acknowledged writes before the action, so the figures start from a writer in full swing.</summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A writer that gets no write through in this long means the VIP path is broken: the drill stops before doing anything.</summary>
    public TimeSpan FirstWritePatience { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Writing goes on this long after the recovery, so a second outage right after it (a VIP move) is measured too.</summary>
    public TimeSpan AfterRecovery { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>For counting the rows and dropping the table afterwards, while the VIP may still settle.</summary>
    public TimeSpan CleanupPatience { get; init; } = TimeSpan.FromSeconds(20);
}

/// <param name="Check">Null when the drill failed before it could count the rows.</param>
public sealed record DrillOutcome(DrillFigures Figures, RowCheck? Check, bool TableDropped, DrillFailure? Failure);

/// <summary>
/// One drill from the table's creation to its drop: warm the writer up, mark the action's start and run it, keep
/// writing until the cluster recovered (a write acknowledged by another server) and --duration has passed, then count
/// the acknowledged rows on the new primary. The table is dropped whatever happens, Ctrl-C included.
/// </summary>
public sealed class DrillRun(DrillDatabase database, DrillSubject subject, DrillOutput output, Func<TimeSpan> clock, DrillTimings timings)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    public async Task<DrillOutcome> RunAsync(string actionName, DrillAction action, CancellationToken cancellationToken)
    {
        var measurement = new DrillMeasurement(subject.FromAddress);
        output.Step($"creating the table {database.Table} in the application database, through the pgbouncer on the virtual IP");
        await database.CreateAsync(cancellationToken);
        RowCheck? check = null;
        DrillFailure? failure = null;
        var dropped = false;
        try
        {
            failure = await MeasureAsync(measurement, actionName, action, cancellationToken);
            if (failure is null)
            {
                check = await database.CheckAsync(measurement.AcknowledgedIds(), timings.CleanupPatience, cancellationToken);
                output.Step($"{check.Found} of {check.Acknowledged} acknowledged rows found on {subject.Describe(check.Server)}: {check.Lost} lost");
            }
        }
        finally
        {
            dropped = await DropAsync();
        }

        return new DrillOutcome(measurement.Figures(), check, dropped, failure);
    }

    private async Task<DrillFailure?> MeasureAsync(DrillMeasurement measurement, string actionName, DrillAction action, CancellationToken cancellationToken)
    {
        using var stop = new CancellationTokenSource();
        var writer = new DrillWriter(database, measurement, clock, text => output.Step("writer: " + text));
        var started = clock();
        output.Step("writer started: one row at a time, each on its own acknowledgement");
        var writing = Task.Run(() => writer.RunAsync(stop.Token), CancellationToken.None);
        try
        {
            if (await WarmUpAsync(measurement, started, cancellationToken) is { } cold) return cold;
            measurement.ActionStarted(clock());
            if (await action(cancellationToken) is { } failed) return failed;
            return await AwaitRecoveryAsync(measurement, actionName, started + timings.Duration, cancellationToken);
        }
        finally
        {
            await stop.CancelAsync();
            await writing;
            var figures = measurement.Figures();
            output.Step($"writer stopped: {figures.AcknowledgedRows} rows acknowledged, {figures.ClientErrors} client error(s)");
        }
    }

    private async Task<DrillFailure?> WarmUpAsync(DrillMeasurement measurement, TimeSpan started, CancellationToken cancellationToken)
    {
        while (true)
        {
            var figures = measurement.Figures();
            var elapsed = clock() - started;
            if (figures.AcknowledgedRows > 0 && elapsed >= timings.WarmUp)
            {
                if (!subject.FromAddress.Equals(figures.LastServer))
                {
                    return new DrillFailure(ExitCodes.Failed, $"writes through the virtual IP are taken by {subject.Describe(figures.LastServer)}, not by the primary " +
                                                              $"{subject.From} ({subject.FromAddress}): the figures would mean nothing, so nothing was done");
                }

                output.Step($"warm-up: {figures.AcknowledgedRows} rows acknowledged by {subject.Describe(subject.FromAddress)}");
                return null;
            }

            if (figures.AcknowledgedRows == 0 && elapsed >= timings.FirstWritePatience)
            {
                return new DrillFailure(ExitCodes.Failed, string.Create(CultureInfo.InvariantCulture,
                    $"no write through the virtual IP was acknowledged within {timings.FirstWritePatience.TotalSeconds:0} s ({figures.ClientErrors} client error(s)), so nothing was done"));
            }

            await Task.Delay(Poll, cancellationToken);
        }
    }

    /// <summary>Until a later-but-bounded end: --duration, or a few seconds after the recovery when that is later; no recovery by --duration (or right after the action, when that took longer) fails.</summary>
    private async Task<DrillFailure?> AwaitRecoveryAsync(DrillMeasurement measurement, string actionName, TimeSpan end, CancellationToken cancellationToken)
    {
        var deadline = Max(end, clock() + timings.AfterRecovery);
        var reported = false;
        while (true)
        {
            var figures = measurement.Figures();
            var now = clock();
            if (figures.RecoveredAt is { } recovered)
            {
                if (!reported)
                {
                    output.Step(string.Create(CultureInfo.InvariantCulture,
                        $"first write after the {actionName} taken by {subject.Describe(figures.RecoveredOn)}: {figures.Rto!.Value.TotalSeconds:0.00} s after it began"));
                    reported = true;
                }

                if (now >= Max(end, recovered + timings.AfterRecovery)) return null;
            }
            else if (now >= deadline)
            {
                return new DrillFailure(ExitCodes.Failed, string.Create(CultureInfo.InvariantCulture,
                    $"no write reached a server other than {subject.From} within {deadline.TotalSeconds:0} s of the drill's start: the cluster did not recover in time (see `hamanager status`)"));
            }

            await Task.Delay(Poll, cancellationToken);
        }
    }

    private async Task<bool> DropAsync()
    {
        try
        {
            await database.DropAsync(timings.CleanupPatience);
            output.Step($"dropped the table {database.Table}");
            return true;
        }
        catch (Exception e) when (DrillWriter.IsClientError(e))
        {
            output.Warning($"could not drop the drill table {database.Table} ({e.Message}); drop it with: hamanager db psql --via vip -- -c 'DROP TABLE {database.Table}'");
            return false;
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
