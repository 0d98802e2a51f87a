namespace HaManager.Cli;

/// <summary>
/// The operator's "yes" before a command changes the cluster. Without a terminal nobody can answer, so a script
/// must say --yes: asking would read end-of-file and silently do nothing, which hides the mistake.
/// </summary>
public static class Confirmation
{
    /// <param name="what">What needs confirming, for the error when there is no terminal ("switching over from n1 to n2").</param>
    /// <returns>True when the operator answered y or yes.</returns>
    /// <exception cref="FormatException">Standard input is not a terminal (an argument error: --yes is missing).</exception>
    public static bool Ask(CliServices services, TextWriter error, string what, string question)
    {
        if (!services.InputIsTerminal)
            throw new FormatException($"{what} needs confirmation: standard input is not a terminal, pass --yes");
        error.Write($"{question} [y/N] ");
        return services.ReadAnswer()?.Trim().ToLowerInvariant() is "y" or "yes";
    }
}
