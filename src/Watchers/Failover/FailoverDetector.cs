using System.Diagnostics;
using System.Net;
using HaManager.Cluster.Model;
using HaManager.Watchers.Engine;
using HaManager.Watchers.Postgres;
using Serilog;
using Serilog.Events;

namespace HaManager.Watchers.Failover;

/// <summary>
/// HaManager's failure detector, one per node (docs/postgres.md, "Failover"). Probes of the primary KV
/// names start every probe interval, each bounded by its own timeout and not waiting for the previous
/// one (a silent host must not slow the cadence down); the time of the last answer is what counts.
/// Every interval the detector also publishes what it sees (<see cref="ObserverView"/>), and once the
/// primary has been silent long enough it asks the other nodes directly and lets
/// <see cref="FailoverRules"/> decide; the chosen standby promotes itself via <see cref="FailoverPromoter"/>.
/// </summary>
public sealed class FailoverDetector(
    NodeName self,
    IPostgresInstance postgres,
    PostgresLocal local,
    IPeerObservers peers,
    FailoverPromoter promoter,
    FailoverTiming timing,
    bool enabled,
    ILogger logger,
    Func<bool>? paused = null,
    Func<IPAddress, int, TimeSpan, CancellationToken, Task<bool>>? probe = null)
{
    private const int MaxProbesInFlight = 4;
    private static readonly TimeSpan PromotionRetry = TimeSpan.FromSeconds(10);
    private readonly Func<IPAddress, int, TimeSpan, CancellationToken, Task<bool>> _probe = probe ?? PrimaryProbe.AnswersAsync;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly object _gate = new();
    private volatile KvSnapshot? _snapshot;
    private volatile ObserverView _view = new() { Node = self.Value, Role = ObserverView.Stopped };
    private (string Node, IPAddress Host, int Port)? _target;
    private TimeSpan _lastContact;
    private bool _lastProbeAnswered = true;
    private int _probesInFlight;
    private TimeSpan? _lastPromotionAttempt;
    private string? _lastLogKey;

    /// <summary>What this node sees now; answered to the other nodes' detectors.</summary>
    public ObserverView CurrentView => _view;

    /// <summary>Raised with every read of the local PostgreSQL (each probe interval): the HTTP endpoint answers from it without asking again.</summary>
    public event Action<PostgresState>? LocalStateRead;

    /// <summary>The engine hands over every snapshot it renders from (invalid values already replaced).</summary>
    public void OnSnapshot(KvSnapshot snapshot) => _snapshot = snapshot;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(timing.ProbeInterval);
        try
        {
            do
            {
                try
                {
                    StartProbe(cancellationToken);
                    await CycleAsync(cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.Error("Failure detector cycle failed, next one in {Ms} ms: {Reason}", (int)timing.ProbeInterval.TotalMilliseconds, e.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Starts one probe of the current primary without waiting for it; its answer moves the last-contact time.</summary>
    public void StartProbe(CancellationToken cancellationToken)
    {
        (string Node, IPAddress Host, int Port) target;
        lock (_gate)
        {
            if (_target is not { } t || _probesInFlight >= MaxProbesInFlight) return;
            target = t;
            _probesInFlight++;
        }

        _ = Task.Run(async () =>
        {
            var started = _clock.Elapsed;
            var answered = false;
            try
            {
                answered = await _probe(target.Host, target.Port, timing.ProbeTimeout, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.Debug("Probe of {Node} failed: {Reason}", target.Node, e.Message);
            }
            finally
            {
                lock (_gate)
                {
                    _probesInFlight--;
                    if (_target?.Node == target.Node)
                    {
                        if (answered && started > _lastContact) _lastContact = started;
                        _lastProbeAnswered = answered;
                    }
                }
            }
        }, CancellationToken.None);
    }

    /// <returns>The decision taken when the primary was silent long enough to ask the others; null otherwise.</returns>
    public async Task<FailoverDecision?> CycleAsync(CancellationToken cancellationToken)
    {
        var state = await postgres.ReadStateAsync(cancellationToken);
        LocalStateRead?.Invoke(state);
        var role = state.IsPrimary ? ObserverView.Primary : state.IsStandby ? ObserverView.Standby : ObserverView.Stopped;
        var snapshot = _snapshot;
        var facts = snapshot is null ? null : ClusterFacts.From(snapshot);
        var master = facts?.VouchedMaster;
        var view = new ObserverView
        {
            Node = self.Value, Role = role, Lsn = state.ReceiveLsn is { } lsn ? PostgresState.FormatLsn(lsn) : null, Timeline = local.Timeline(),
            Priority = facts?.Priority(self) ?? 0, Upstream = state.UpstreamHost, PrimaryNode = master?.Node.Value,
        };
        if (master is null || facts is null || master.Node == self)
        {
            lock (_gate) _target = null;
            _view = view with { PrimaryReachable = master is not null };
            return null;
        }

        TimeSpan silent;
        bool reachable;
        lock (_gate)
        {
            if (_target?.Node != master.Node.Value || !_target.Value.Host.Equals(master.Host) || _target.Value.Port != master.Port)
            {
                // A new primary gets the full grace period before anything counts against it.
                _target = (master.Node.Value, master.Host, master.Port);
                _lastContact = _clock.Elapsed;
                _lastProbeAnswered = true;
            }

            silent = _clock.Elapsed - _lastContact;
            // Answered recently: one probe interval (plus its timeout) has not passed without an answer.
            reachable = _lastProbeAnswered && silent <= timing.ProbeInterval + timing.ProbeTimeout;
        }

        _view = view with { PrimaryReachable = reachable, PrimaryUnreachableMilliseconds = reachable ? null : (long)silent.TotalMilliseconds };
        if (reachable || silent < timing.PeerAgreeAfter || !enabled || role != ObserverView.Standby)
        {
            if (reachable && _lastLogKey is not null)
            {
                logger.Information("Failure detector: primary {Primary} answers {Node} again; no failover", master.Node.Value, self.Value);
                _lastLogKey = null;
            }

            return null;
        }

        var others = facts.Nodes.Values.Where(n => n.Name != self && n.Name != master.Node).Select(n => (n.Name.Value, n.Address)).ToList();
        // Asked from the moment a peer could agree, so connections are warm when the decision comes.
        var views = await peers.AskAsync(others, timing.PeerTimeout, cancellationToken);
        if (silent < timing.FailoverAfter) return null;
        var decision = FailoverRules.Decide(new FailoverInput(self.Value, master.Node.Value, facts.Nodes.Count, _view, views, timing, paused?.Invoke() ?? false));
        Log(decision.LogKey, decision.Action == FailoverAction.Promote ? LogEventLevel.Warning : LogEventLevel.Information, decision.Sentence);
        if (decision.Action != FailoverAction.Promote || (_lastPromotionAttempt is { } last && _clock.Elapsed - last < PromotionRetry)) return decision;

        var refused = await promoter.CheckAsync(facts, ct => _probe(master.Host, master.Port, timing.ProbeTimeout, ct), cancellationToken);
        if (refused is not null)
        {
            Log("refused:" + refused.Split(':')[0], LogEventLevel.Information, refused);
            return decision with { Action = FailoverAction.Wait, Sentence = refused };
        }

        _lastPromotionAttempt = _clock.Elapsed;
        logger.Warning("Failure detector: {Outcome}", await promoter.PromoteAsync(facts, decision, cancellationToken));
        return decision;
    }

    private void Log(string key, LogEventLevel level, string sentence)
    {
        if (key == _lastLogKey) return;
        _lastLogKey = key;
        logger.Write(level, "Failure detector: {Sentence}", sentence);
    }
}
