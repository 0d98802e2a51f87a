using System.Net;
using HaManager.Cluster.Model;
using Serilog;

namespace HaManager.Watchers.Notify;

/// <summary>
/// repmgr's event_notification_command: a promotion claims <c>postgres/master</c>, a follow or rejoin
/// updates this node's upstream. Other events change nothing in KV.
/// </summary>
public sealed class RepmgrNotifyHook(NotifyHook hook, NodeName node, IPAddress host, int port, Postgres.PostgresLocal local, ILogger logger)
{
    public async Task<NotifyOutcome?> RunAsync(RepmgrNotifyArguments arguments, CancellationToken cancellationToken = default)
    {
        var notifyEvent = new RepmgrEvent
        {
            Node = node,
            At = DateTimeOffset.UtcNow,
            NodeId = arguments.NodeId,
            Event = arguments.Event,
            Success = arguments.Success,
            Host = host,
            Port = port,
            RepmgrDetails = arguments.Details,
            PreviousState = null,
        };
        // A promotion carries the timeline it started: promotions are ordered by it, not by clocks.
        if (notifyEvent.IsPromotion) notifyEvent = notifyEvent with { Timeline = local.Timeline() };
        if (!notifyEvent.IsPromotion && !notifyEvent.IsFollow)
        {
            logger.Information("repmgr event {Event} (success {Success}) on {Node} changes nothing in KV", arguments.Event, arguments.Success, node.Value);
            return null;
        }

        if (notifyEvent.IsPromotion)
        {
            // Before KV: the fencer must know this primary is newer than the master KV still names.
            try
            {
                await local.WritePromotedAtAsync(notifyEvent.At, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                logger.Warning("Could not write the promotion marker {Path}: {Reason}", local.PromotedAtFile, e.Message);
            }
        }

        return await hook.RecordOrSpoolAsync(notifyEvent, cancellationToken);
    }
}
