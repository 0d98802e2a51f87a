using HaManager.Cluster.Settings;

namespace HaManager.Watchers.Engine;

/// <summary>The local service a watcher's files belong to; its commands come from local settings only.</summary>
public sealed record ServiceTarget(string Name, ServiceOptions Options);
