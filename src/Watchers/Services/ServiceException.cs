namespace HaManager.Watchers.Services;

public sealed class ServiceException(string message, Exception? inner = null) : Exception(message, inner);
