using System.Collections.Concurrent;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace HaManager.Templates;

/// <summary>
/// Renders the embedded Scriban templates, or an operator's copy from the override directory.
/// Templates run in strict mode: a misspelt variable or member fails the render instead of producing an empty value.
/// </summary>
public sealed class TemplateRenderer
{
    public const string Extension = ".scriban";

    private const string ResourcePrefix = "HaManager.Templates.";

    // Overrides written for the earlier Handlebars renderer are no longer read; a leftover one fails the
    // render (the watcher keeps the last good file) instead of silently dropping the operator's changes.
    private const string RetiredExtension = ".hbs";

    private readonly string? _overrideDirectory;
    private readonly ConcurrentDictionary<string, Template> _parsed = new();

    public TemplateRenderer(string? overrideDirectory = null) => _overrideDirectory = overrideDirectory;

    public static IReadOnlyList<string> EmbeddedTemplateNames { get; } =
        typeof(TemplateRenderer).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(Extension, StringComparison.Ordinal))
            .Select(n => n[ResourcePrefix.Length..^Extension.Length])
            .Order(StringComparer.Ordinal)
            .ToArray();

    /// <summary>Renders <paramref name="name"/> (e.g. "keepalived.conf") with <paramref name="view"/>.</summary>
    /// <exception cref="TemplateException">The template does not parse, or names a variable or member the view lacks.</exception>
    public string Render(string name, object view)
    {
        var template = _parsed.GetOrAdd(name, Parse);
        try
        {
            return template.Render(StrictContext(view));
        }
        catch (ScriptRuntimeException e)
        {
            throw new TemplateException(
                $"template '{name}' ({template.SourceFilePath}) failed to render at {Position(e.Span)}: {e.OriginalMessage}", e);
        }
    }

    public string SourceOf(string name)
    {
        var overridePath = OverridePath(name, Extension);
        return overridePath is not null && File.Exists(overridePath) ? overridePath : $"embedded {name}{Extension}";
    }

    public static string EmbeddedSource(string name)
    {
        using var stream = typeof(TemplateRenderer).Assembly.GetManifestResourceStream(ResourcePrefix + name + Extension)
            ?? throw new TemplateException($"no template named '{name}'; known: {string.Join(", ", EmbeddedTemplateNames)}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private Template Parse(string name)
    {
        var (source, text) = Load(name);
        var template = Template.Parse(text, source);
        if (!template.HasErrors) return template;

        var errors = template.Messages
            .Where(m => m.Type == ParserMessageType.Error)
            .Select(m => $"{Position(m.Span)}: {m.Message}");
        throw new TemplateException($"template '{name}' ({source}) does not parse: {string.Join("; ", errors)}");
    }

    private (string Source, string Text) Load(string name)
    {
        var overridePath = OverridePath(name, Extension);
        if (File.Exists(overridePath)) return (overridePath, File.ReadAllText(overridePath));

        var retired = OverridePath(name, RetiredExtension);
        if (File.Exists(retired))
        {
            throw new TemplateException(
                $"template '{name}': override {retired} is a Handlebars template, which is no longer read; " +
                $"convert it to Scriban as {name}{Extension} (docs/operations.md) or remove it to use the built-in template");
        }

        return ($"embedded {name}{Extension}", EmbeddedSource(name));
    }

    /// <summary>
    /// A fresh context per render (contexts hold output and scopes; parsed templates are shared). Every
    /// relaxation Scriban offers is switched off, so a misspelt name is an error instead of an empty string
    /// in a configuration file: StrictVariables for top-level names, EnableRelaxedMemberAccess for
    /// <c>node.Nmae</c>, the target/indexer/function switches for <c>null.x</c>, <c>list[9]</c> and <c>nosuch()</c>.
    /// </summary>
    private static TemplateContext StrictContext(object view)
    {
        var globals = new ScriptObject();
        globals.Import(view, renamer: KeepName);
        var context = new TemplateContext
        {
            StrictVariables = true,
            EnableRelaxedMemberAccess = false,
            EnableRelaxedTargetAccess = false,
            EnableRelaxedIndexerAccess = false,
            EnableRelaxedFunctionAccess = false,
            EnableNullIndexer = false,
            MemberRenamer = KeepName,
        };
        context.PushGlobal(globals);
        return context;
    }

    // Scriban would expose NodeName as node_name. Keeping the C# names means the templates read like the
    // view models they render (grep finds both), the Handlebars-era templates converted without renaming
    // every field, and a view property can never shadow a lowercase Scriban builtin such as `date` or `string`.
    private static string KeepName(System.Reflection.MemberInfo member) => member.Name;

    private static string Position(SourceSpan span) => $"line {span.Start.Line + 1}, column {span.Start.Column + 1}";

    private string? OverridePath(string name, string extension) =>
        _overrideDirectory is null ? null : Path.Combine(_overrideDirectory, name + extension);
}
