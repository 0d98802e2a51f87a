namespace HaManager.Templates.Views;

/// <summary>
/// A command line keepalived runs (it splits on spaces and appends its own arguments). Built only
/// from local settings; each word is restricted so nothing can break out of the quoted string.
/// </summary>
public readonly record struct NotifyCommand
{
    private NotifyCommand(string value) => Value = value;

    public string Value { get; }

    public static NotifyCommand FromWords(params string[] words)
    {
        foreach (var word in words)
        {
            if (word.Length == 0 || !word.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '-' or '_' or '=' or ':' or '+'))
                throw new FormatException($"'{word}' cannot be part of a notify command (letters, digits and / . - _ = : + only)");
        }

        return new NotifyCommand(string.Join(' ', words));
    }
}
