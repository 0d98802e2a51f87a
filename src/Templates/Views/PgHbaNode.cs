namespace HaManager.Templates.Views;

public sealed record PgHbaNode(string Name, string Address);
