using HaManager.Cluster.Model;

namespace HaManager.Cluster.Settings;

/// <summary>Reports every problem in the settings at once, each naming its field as written in the YAML.</summary>
public static class SettingsValidator
{
    /// <param name="requireNode">False for commands that only read the cluster (a workstation has no node name or address).</param>
    public static IReadOnlyList<string> Validate(HaManagerSettings s, bool requireNode = true)
    {
        var errors = new List<string>();

        if ((requireNode || s.Node.Name.Length > 0) && !NodeName.TryParse(s.Node.Name, out _, out var nameError)) errors.Add($"node.name: {nameError}");
        if (string.IsNullOrEmpty(s.Node.Address))
        {
            if (requireNode) errors.Add("node.address: required (the address other members reach this node on); set it or pass --address");
        }
        else if (!IpAddresses.TryParse(s.Node.Address, out _, out var addressError))
        {
            errors.Add($"node.address: {addressError}");
        }

        if (!Uri.TryCreate(s.Consul.Address, UriKind.Absolute, out var consul) || consul.Scheme is not ("http" or "https"))
            errors.Add($"consul.address: '{s.Consul.Address}' is not an http(s) URL");
        if (s.Consul.Token.Any(char.IsControl)) errors.Add("consul.token: contains control characters");
        try { _ = new KvKeys(s.Consul.KvPrefix); }
        catch (ArgumentException e) { errors.Add($"consul.kv_prefix: {e.Message.Split(" (Parameter")[0]}"); }
        if (!IsToken(s.Consul.Datacenter)) errors.Add($"consul.datacenter: '{s.Consul.Datacenter}' must be letters, digits, '-' or '_'");
        Port(errors, "consul.http_port", s.Consul.HttpPort);
        Port(errors, "consul.https_port", s.Consul.HttpsPort);
        if (s.Consul.HttpsPort == s.Consul.HttpPort) errors.Add($"consul.https_port: {s.Consul.HttpsPort} is also consul.http_port");
        if (!IsDuration(s.Consul.ServerStabilizationTime)) errors.Add($"consul.server_stabilization_time: '{s.Consul.ServerStabilizationTime}' is not a duration like 10s or 500ms");
        Range(errors, "consul.join_timeout_seconds", s.Consul.JoinTimeoutSeconds, 1, 3600);
        AbsolutePath(errors, "consul.config_file", s.Consul.ConfigFile);
        AbsolutePath(errors, "consul.data_dir", s.Consul.DataDir);
        AbsolutePath(errors, "consul.secrets_dir", s.Consul.SecretsDir);

        AbsolutePath(errors, "keepalived.config_file", s.Keepalived.ConfigFile);
        AbsolutePath(errors, "keepalived.binary", s.Keepalived.Binary);
        if (s.Keepalived.TrackFile.Length > 0) AbsolutePath(errors, "keepalived.track_file", s.Keepalived.TrackFile);
        if (!IsToken(s.Keepalived.Interface) && !s.Keepalived.Interface.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
            errors.Add($"keepalived.interface: '{s.Keepalived.Interface}' is not an interface name");

        AbsolutePath(errors, "paths.state_dir", s.Paths.StateDir);
        AbsolutePath(errors, "paths.spool_dir", s.Paths.SpoolDir);
        AbsolutePath(errors, "paths.templates_dir", s.Paths.TemplatesDir);
        AbsolutePath(errors, "paths.hamanager_binary", s.Paths.HamanagerBinary);

        Range(errors, "watch.debounce_milliseconds", s.Watch.DebounceMilliseconds, 0, 60_000);
        Range(errors, "watch.wait_seconds", s.Watch.WaitSeconds, 1, 300);
        Range(errors, "watch.spool_replay_interval_seconds", s.Watch.SpoolReplayIntervalSeconds, 1, 3600);
        Range(errors, "watch.command_timeout_seconds", s.Watch.CommandTimeoutSeconds, 1, 3600);

        Range(errors, "failover.probe_interval_milliseconds", s.Failover.ProbeIntervalMilliseconds, 50, 10_000);
        Range(errors, "failover.probe_timeout_milliseconds", s.Failover.ProbeTimeoutMilliseconds, 50, 10_000);
        Range(errors, "failover.failover_after_milliseconds", s.Failover.FailoverAfterMilliseconds, 500, 600_000);
        Range(errors, "failover.peer_agree_after_milliseconds", s.Failover.PeerAgreeAfterMilliseconds, 100, 600_000);
        Range(errors, "failover.peer_timeout_milliseconds", s.Failover.PeerTimeoutMilliseconds, 50, 10_000);
        if (s.Failover.PeerAgreeAfterMilliseconds > s.Failover.FailoverAfterMilliseconds)
            errors.Add("failover.peer_agree_after_milliseconds: must not be longer than failover.failover_after_milliseconds (the other nodes could never agree in time)");
        Range(errors, "history.max_age_days", s.History.MaxAgeDays, 1, 36_500);
        // At least what status shows: the newest transitions are never pruned.
        Range(errors, "history.max_entries", s.History.MaxEntries, 50, 1_000_000);
        if (s.Api.ListenAddress.Length > 0 && !IpAddresses.TryParse(s.Api.ListenAddress, out _, out var apiAddressError))
            errors.Add($"api.listen_address: {apiAddressError}");
        Port(errors, "api.port", s.Api.Port);
        if (s.Logging.Format is not (LoggingOptions.Plain or LoggingOptions.Json))
            errors.Add($"logging.format: '{s.Logging.Format}' is not {LoggingOptions.Plain} or {LoggingOptions.Json}");

        AbsolutePath(errors, "postgres.bin_dir", s.Postgres.BinDir);
        AbsolutePath(errors, "postgres.data_dir", s.Postgres.DataDir);
        AbsolutePath(errors, "postgres.socket_dir", s.Postgres.SocketDir);
        AbsolutePath(errors, "postgres.log_file", s.Postgres.LogFile);
        AbsolutePath(errors, "postgres.repmgr_config_file", s.Postgres.RepmgrConfigFile);
        AbsolutePath(errors, "postgres.repmgr_log_file", s.Postgres.RepmgrLogFile);
        AbsolutePath(errors, "postgres.pass_file", s.Postgres.PassFile);
        Port(errors, "postgres.port", s.Postgres.Port);
        if (!IsToken(s.Postgres.OsUser)) errors.Add($"postgres.os_user: '{s.Postgres.OsUser}' is not a user name");
        if (s.Postgres.Synchronous is not ("quorum" or "off")) errors.Add($"postgres.synchronous: '{s.Postgres.Synchronous}' is not quorum or off");
        Range(errors, "postgres.start_timeout_seconds", s.Postgres.StartTimeoutSeconds, 5, 3600);
        Range(errors, "postgres.fence_without_quorum_seconds", s.Postgres.FenceWithoutQuorumSeconds, 0, 3600);

        AbsolutePath(errors, "pgbouncer.config_file", s.Pgbouncer.ConfigFile);
        AbsolutePath(errors, "pgbouncer.auth_file", s.Pgbouncer.AuthFile);
        AbsolutePath(errors, "pgbouncer.socket_dir", s.Pgbouncer.SocketDir);
        AbsolutePath(errors, "pgbouncer.pid_file", s.Pgbouncer.PidFile);
        AbsolutePath(errors, "pgbouncer.log_file", s.Pgbouncer.LogFile);
        AbsolutePath(errors, "pgbouncer.binary", s.Pgbouncer.Binary);
        Port(errors, "pgbouncer.listen_port", s.Pgbouncer.ListenPort);
        if (s.Pgbouncer.ListenAddress != "*" && !IpAddresses.TryParse(s.Pgbouncer.ListenAddress, out _, out _) && s.Pgbouncer.ListenAddress != "0.0.0.0")
            errors.Add($"pgbouncer.listen_address: '{s.Pgbouncer.ListenAddress}' is not an IP address or *");
        Range(errors, "pgbouncer.query_wait_timeout_seconds", s.Pgbouncer.QueryWaitTimeoutSeconds, 1, 3600);
        if (s.Pgbouncer.PoolMode is not ("transaction" or "session"))
            errors.Add($"pgbouncer.pool_mode: '{s.Pgbouncer.PoolMode}' is not one of transaction, session");

        AbsolutePath(errors, "syncthing.binary", s.Syncthing.Binary);
        AbsolutePath(errors, "syncthing.home", s.Syncthing.Home);
        AbsolutePath(errors, "syncthing.api_key_file", s.Syncthing.ApiKeyFile);
        AbsolutePath(errors, "syncthing.folder_root", s.Syncthing.FolderRoot);
        AllowedRoots(errors, s);
        if (!IsLoopbackEndpoint(s.Syncthing.ApiAddress))
            errors.Add($"syncthing.api_address: '{s.Syncthing.ApiAddress}' must be a loopback IP:PORT such as 127.0.0.1:8384 (the REST API must not be reachable from the network)");
        Port(errors, "syncthing.listen_port", s.Syncthing.ListenPort);
        Range(errors, "syncthing.start_timeout_seconds", s.Syncthing.StartTimeoutSeconds, 5, 3600);

        Service(errors, "consul.service", s.Consul.Service, s.ServiceManager);
        Service(errors, "keepalived.service", s.Keepalived.Service, s.ServiceManager);
        Service(errors, "postgres.service", s.Postgres.Service, s.ServiceManager, startMayBeDerived: true);
        Service(errors, "postgres.repmgrd", s.Postgres.Repmgrd, s.ServiceManager, startMayBeDerived: true);
        Service(errors, "pgbouncer.service", s.Pgbouncer.Service, s.ServiceManager, startMayBeDerived: true);
        Service(errors, "syncthing.service", s.Syncthing.Service, s.ServiceManager, startMayBeDerived: true);
        return errors;
    }

    private static void Service(List<string> errors, string field, ServiceOptions service, ServiceManagerKind global, bool startMayBeDerived = false)
    {
        if (service.Manager is not ("" or "systemd" or "process"))
        {
            errors.Add($"{field}.manager: '{service.Manager}' is not systemd or process");
            return;
        }

        var manager = service.Manager switch { "systemd" => ServiceManagerKind.Systemd, "process" => ServiceManagerKind.Process, _ => global };
        if (manager == ServiceManagerKind.Systemd && !IsUnitName(service.Unit))
            errors.Add($"{field}.unit: '{service.Unit}' is not a systemd unit name (the service manager is systemd)");
        if (manager == ServiceManagerKind.Process)
        {
            if (service.Start.Count == 0 && !startMayBeDerived) errors.Add($"{field}.start: required when the service manager is process");
            else if (service.Start.Count > 0) AbsolutePath(errors, $"{field}.start[0]", service.Start[0]);
            if (service.PidFile.Length > 0 || !startMayBeDerived) AbsolutePath(errors, $"{field}.pid_file", service.PidFile);
            if (service.LogFile.Length > 0) AbsolutePath(errors, $"{field}.log_file", service.LogFile);
        }

        if (service.StopSignal is not ("TERM" or "INT" or "QUIT"))
            errors.Add($"{field}.stop_signal: '{service.StopSignal}' is not one of TERM, INT, QUIT");

        if (service.ReloadSignal is not ("HUP" or "USR1" or "USR2" or "TERM" or "INT"))
            errors.Add($"{field}.reload_signal: '{service.ReloadSignal}' is not one of HUP, USR1, USR2, TERM, INT");
        Range(errors, $"{field}.stop_timeout_seconds", service.StopTimeoutSeconds, 1, 600);
        if (service.User.Length > 0 && !IsToken(service.User)) errors.Add($"{field}.user: '{service.User}' is not a user name");
    }

    /// <summary>
    /// syncthing.allowed_roots: clean absolute directories, none a system directory (or inside or around
    /// one), none overlapping HaManager's own state, syncthing's home, PostgreSQL's or Consul's data, on this node.
    /// </summary>
    private static void AllowedRoots(List<string> errors, HaManagerSettings s)
    {
        if (s.Syncthing.AllowedRoots is null)
        {
            errors.Add("syncthing.allowed_roots: must be a list of absolute directories ([] replicates nothing)");
            return;
        }

        (string Field, string Path)[] own =
        [
            ("paths.state_dir", s.Paths.StateDir), ("paths.spool_dir", s.Paths.SpoolDir), ("paths.templates_dir", s.Paths.TemplatesDir),
            ("syncthing.home", s.Syncthing.Home), ("syncthing.api_key_file", s.Syncthing.ApiKeyFile),
            ("postgres.data_dir", s.Postgres.DataDir), ("postgres.bin_dir", s.Postgres.BinDir), ("consul.data_dir", s.Consul.DataDir),
        ];
        var folderRoot = s.Syncthing.FolderRoot.TrimEnd('/');
        for (var i = 0; i < s.Syncthing.AllowedRoots.Count; i++)
        {
            var field = $"syncthing.allowed_roots[{i}]";
            var root = s.Syncthing.AllowedRoots[i];
            if (!ProtectedPaths.IsClean(root))
            {
                errors.Add($"{field}: '{NodeName.Printable(root ?? "")}' must be a normalized absolute directory below / (no '..', '.', '//', trailing '/', spaces, quotes, shell or control characters)");
                continue;
            }

            if (ProtectedPaths.SystemOverlap(root) is { } system)
            {
                errors.Add($"{field}: '{root}' {system}; syncthing runs as root and must never replicate it");
                continue;
            }

            var local = folderRoot + root;
            foreach (var (ownField, ownPath) in own.Where(o => ProtectedPaths.IsClean(o.Path) && ProtectedPaths.Overlap(local, o.Path)))
                errors.Add($"{field}: '{root}' (on this node {local}) overlaps {ownField} {ownPath}; a replicated folder must not reach HaManager's, syncthing's, PostgreSQL's or Consul's own files");
        }
    }

    private static void AbsolutePath(List<string> errors, string field, string path)
    {
        if (string.IsNullOrEmpty(path) || !Path.IsPathRooted(path) || path.Any(c => char.IsControl(c) || c is '"' or '\'' or ' '))
            errors.Add($"{field}: '{path}' must be an absolute path without spaces or quotes");
    }

    private static bool IsLoopbackEndpoint(string text) =>
        System.Net.IPEndPoint.TryParse(text, out var endpoint) && endpoint.Port is > 0 and <= 65535
        && System.Net.IPAddress.IsLoopback(endpoint.Address) && text.Contains(':', StringComparison.Ordinal);

    private static void Port(List<string> errors, string field, int port) => Range(errors, field, port, 1, 65535);

    private static void Range(List<string> errors, string field, int value, int min, int max)
    {
        if (value < min || value > max) errors.Add($"{field}: {value} is not between {min} and {max}");
    }

    private static bool IsToken(string text) => text.Length is > 0 and <= 64 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static bool IsUnitName(string text) =>
        text.Length is > 0 and <= 128 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '@');

    internal static bool IsDuration(string text) =>
        System.Text.RegularExpressions.Regex.IsMatch(text, "^[0-9]{1,6}(ms|s|m)$");
}
