using System.Text.Json;
using HaManager.Cluster.Json;
using HaManager.Watchers.Files;
using Serilog;

namespace HaManager.Watchers.Notify;

/// <summary>
/// Local, durable queue of transitions that could not reach Consul. One file per event, named so
/// that name order is event order; written atomically, removed only after KV has the transition.
/// </summary>
public sealed class NotifySpool(string directory, ILogger logger)
{
    public const string Extension = ".json";
    public const string RejectedExtension = ".rejected";

    public string Directory { get; } = directory;

    public async Task<string> AppendAsync(NotifyEvent notifyEvent, CancellationToken cancellationToken = default)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var name = $"{notifyEvent.At.UtcDateTime:yyyyMMdd'T'HHmmss'.'fffffff'Z'}-{Guid.NewGuid():N}{Extension}";
        var path = Path.Combine(Directory, name);
        var bytes = JsonSerializer.SerializeToUtf8Bytes<NotifyEvent>(notifyEvent, KvJson.Options);
        await AtomicFile.WriteAsync(path, bytes, AtomicFile.PrivateMode, cancellationToken: cancellationToken);
        return path;
    }

    /// <summary>The spooled events, oldest first. A file that cannot be read is set aside (renamed), never deleted.</summary>
    public IReadOnlyList<SpooledEvent> Pending()
    {
        if (!System.IO.Directory.Exists(Directory)) return [];
        var events = new List<SpooledEvent>();
        foreach (var path in System.IO.Directory.GetFiles(Directory, "*" + Extension).Order(StringComparer.Ordinal))
        {
            try
            {
                var notifyEvent = JsonSerializer.Deserialize<NotifyEvent>(File.ReadAllBytes(path), KvJson.Options)
                    ?? throw new JsonException("the file holds JSON null");
                events.Add(new SpooledEvent(path, notifyEvent));
            }
            catch (Exception e) when (e is JsonException or FormatException or NotSupportedException)
            {
                SetAside(path, e.Message);
            }
        }

        return events;
    }

    public void Remove(SpooledEvent spooled) => File.Delete(spooled.Path);

    public void SetAside(string path, string reason)
    {
        var target = path + RejectedExtension;
        File.Move(path, target, overwrite: true);
        logger.Error("Set aside spooled transition {Path} as {Target}: {Reason}", path, target, reason);
    }
}
