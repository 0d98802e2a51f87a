namespace HaManager.Templates.Views;

/// <param name="Cidr">The node's address as a one-host network: /32 for IPv4, /128 for IPv6 (a /32 on an IPv6 address would admit a whole block).</param>
public sealed record PgHbaNode(string Name, string Address, string Cidr);
