using System.CommandLine;
using System.Text.Json;
using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Model;
using HaManager.Cluster.Security;
using HaManager.Cluster.Settings;

namespace HaManager.Cli.Commands;

/// <summary>
/// `hamanager join-token create`: the one-time secret a new node needs to join (docs/security.md §4). It is made with
/// the management token, which bootstrap left on the first node; elsewhere pass it in CONSUL_HTTP_TOKEN(_FILE).
/// </summary>
public static class JoinTokenCommand
{
    public static Command Create(CliServices services)
    {
        var command = new Command("join-token", "One-time join tokens: the secret a new node passes to `bootstrap --join ADDR --join-token-file FILE`.");
        command.Subcommands.Add(CreateCreate(services));
        return command;
    }

    private static Command CreateCreate(CliServices services)
    {
        var node = new Option<string>("--node") { Description = "Name of the node that will join (its Consul node name and KV records)", HelpName = "NODE", Required = true };
        var address = new Option<string>("--address") { Description = "The joining node's address (its node.address); the token and its certificate are bound to it", HelpName = "IP", Required = true };
        var ttl = OptionValues.Duration("--ttl", "How long the token may be redeemed (1m to 24h; default 1h). It works once.", JoinTokenStore.MaximumTtl);
        var json = OptionValues.Flag("--json", "Print one JSON object (token, id, node, address, expires_at) instead of the token alone");
        var create = new Command("create",
            "Make a join token for one node: prints it once on stdout (it is a secret: write it to a file, copy that file to the node, delete it after use). " +
            "Needs the management token (on the first node bootstrap stored it; elsewhere set CONSUL_HTTP_TOKEN_FILE).") { node, address, ttl, json };
        create.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(parse, async () =>
        {
            using var context = CliContext.CreateClient(parse, services);
            var name = NodeName.TryParse(parse.GetValue(node), out var parsedNode, out var nodeError)
                ? parsedNode
                : throw new FormatException($"--node: {nodeError}");
            var ip = IpAddresses.TryParse(parse.GetValue(address) ?? string.Empty, out var parsedAddress, out var addressError)
                ? parsedAddress
                : throw new FormatException($"--address: {addressError}");
            var lifetime = parse.GetValue(ttl) ?? JoinTokenStore.DefaultTtl;
            if (lifetime < JoinTokenStore.MinimumTtl) throw new FormatException($"--ttl: at least {DurationText.Format(JoinTokenStore.MinimumTtl)} (Consul's shortest token lifetime)");

            using var consul = new ConsulClient(ManagementEndpoint(context, services));
            var issuer = new JoinTokenIssuer(consul, context.Keys);
            await issuer.SweepAsync(cancellationToken);
            var secret = await issuer.CreateAsync(name, ip, context.Settings.Consul.Datacenter, lifetime, cancellationToken);
            var expires = services.Clock.GetUtcNow() + lifetime;
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    token = secret.Reveal(), id = secret.Id.Value, node = name.Value, address = ip.ToString(), expires_at = expires,
                }, CliJson.Options));
            }
            else
            {
                context.Out.WriteLine(secret.Reveal());
                context.Error.WriteLine($"hamanager: join token {secret.Id} for {name} ({ip}), valid until {expires:u}, once. On {name}: " +
                    $"hamanager bootstrap --join {(context.OnNode ? context.Settings.Node.Address : "MEMBER")} --join-token-file FILE");
            }

            return ExitCodes.Ok;
        }));
        return create;
    }

    /// <summary>CONSUL_HTTP_TOKEN(_FILE) when set, else the management token bootstrap stored on this node.</summary>
    private static ConsulClientOptions ManagementEndpoint(CliContext context, CliServices services)
    {
        var fromEnvironment = services.Environment(ConsulEnvironment.HttpToken) is { Length: > 0 } || services.Environment(ConsulEnvironment.HttpTokenFile) is { Length: > 0 }
            || context.Settings.Consul.Token.Length > 0;
        if (fromEnvironment) return context.Consul;
        var path = ConsulSecretFiles.Of(context.Settings.Consul).ManagementToken;
        return ConsulSecretFiles.ReadToken(path) is { } management
            ? context.Consul with { Token = management }
            : throw new InvalidOperationException($"no management token: {path} is missing or unreadable (it is on the first node, for root); " +
                "elsewhere set CONSUL_HTTP_TOKEN_FILE to a file holding it");
    }
}
