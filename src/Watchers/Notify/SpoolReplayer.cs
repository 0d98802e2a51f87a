using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using Serilog;

namespace HaManager.Watchers.Notify;

/// <summary>Replays spooled transitions into KV, oldest first, each exactly once; stops at the first Consul failure.</summary>
public sealed class SpoolReplayer(NotifySpool spool, TransitionRecorder recorder, ILogger logger)
{
    /// <returns>How many spooled events were recorded.</returns>
    public async Task<int> ReplayAsync(CancellationToken cancellationToken)
    {
        var replayed = 0;
        foreach (var spooled in spool.Pending())
        {
            try
            {
                await recorder.RecordAsync(spooled.Event, cancellationToken);
            }
            catch (ConsulException e)
            {
                logger.Debug("Spool replay paused, Consul is not answering: {Reason}", e.Message);
                break;
            }
            catch (Exception e) when (e is KvValueException or FormatException or InvalidOperationException or NotSupportedException)
            {
                spool.SetAside(spooled.Path, e.Message);
                continue;
            }

            spool.Remove(spooled);
            replayed++;
        }

        if (replayed > 0) logger.Information("Replayed {Count} spooled transition(s) from {Directory}", replayed, spool.Directory);
        return replayed;
    }
}
