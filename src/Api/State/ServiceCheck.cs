namespace HaManager.Api.State;

/// <summary>Whether one local service runs, as its service manager (systemd or the PID file) says.</summary>
public sealed record ServiceCheck(string Service, bool Running);
