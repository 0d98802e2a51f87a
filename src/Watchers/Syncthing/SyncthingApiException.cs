namespace HaManager.Watchers.Syncthing;

/// <summary>The local syncthing's REST API could not be used; the message says which request and why.</summary>
public sealed class SyncthingApiException(string message, Exception? inner = null) : Exception(message, inner);
