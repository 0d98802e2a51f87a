using HaManager.Cluster.Json;

namespace HaManager.Watchers.Engine;

/// <summary>What a watcher made of a snapshot: files to write, or the reason it wrote nothing.</summary>
public sealed record WatchOutput
{
    private WatchOutput() { }

    public IReadOnlyList<RenderedFile> Files { get; private init; } = [];
    public IReadOnlyList<KvValueError> Errors { get; private init; } = [];
    public string? NotReadyReason { get; private init; }
    public string Summary { get; private init; } = string.Empty;

    public bool IsRenderable => Errors.Count == 0 && NotReadyReason is null;

    public static WatchOutput Ready(IReadOnlyList<RenderedFile> files, string summary) => new() { Files = files, Summary = summary };

    public static WatchOutput Invalid(IReadOnlyList<KvValueError> errors) =>
        errors.Count > 0 ? new() { Errors = errors } : throw new ArgumentException("at least one error is required", nameof(errors));

    public static WatchOutput NotReady(string reason) => new() { NotReadyReason = reason };
}
