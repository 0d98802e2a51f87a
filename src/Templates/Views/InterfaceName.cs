namespace HaManager.Templates.Views;

/// <summary>A network interface name as the kernel allows it (IFNAMSIZ-1 characters, no '/', no whitespace).</summary>
public readonly record struct InterfaceName
{
    private InterfaceName(string value) => Value = value;

    public string Value { get; }

    public static InterfaceName Parse(string text)
    {
        if (text.Length is 0 or > 15 || !text.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
            throw new FormatException($"'{text}' is not a valid interface name");
        return new InterfaceName(text);
    }
}
