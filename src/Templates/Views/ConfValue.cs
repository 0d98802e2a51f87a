namespace HaManager.Templates.Views;

/// <summary>Checks for locally configured words that end up inside quoted configuration values.</summary>
public static class ConfValue
{
    public static string Path(string path) =>
        path.Length > 0 && path[0] == '/' && !path.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is '\'' or '"' or '\\' or '$' or '`')
            ? path
            : throw new FormatException($"'{path}' is not an absolute path free of spaces, quotes and shell characters");

    public static string Command(string command) =>
        command.Length > 0 && !command.Any(c => char.IsControl(c) || c is '\'' or '\\' or '`' or ';' or '&' or '|' or '<' or '>')
            ? command
            : throw new FormatException($"'{command}' cannot be used as a command in a configuration file");
}
