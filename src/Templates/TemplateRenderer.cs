using System.Collections.Concurrent;
using HandlebarsDotNet;

namespace HaManager.Templates;

/// <summary>
/// Renders the embedded Handlebars templates, or an operator's copy from the override directory.
/// Templates run in strict mode: a misspelt field fails the render instead of producing an empty value.
/// </summary>
public sealed class TemplateRenderer
{
    private readonly string? _overrideDirectory;
    private readonly IHandlebars _handlebars;
    private readonly ConcurrentDictionary<string, HandlebarsTemplate<object, object>> _compiled = new();

    public TemplateRenderer(string? overrideDirectory = null)
    {
        _overrideDirectory = overrideDirectory;
        _handlebars = Handlebars.Create(new HandlebarsConfiguration
        {
            NoEscape = true,
            ThrowOnUnresolvedBindingExpression = true,
        });
    }

    public static IReadOnlyList<string> EmbeddedTemplateNames { get; } =
        typeof(TemplateRenderer).Assembly.GetManifestResourceNames()
            .Where(n => n.EndsWith(".hbs", StringComparison.Ordinal))
            .Select(n => n["HaManager.Templates.".Length..^".hbs".Length])
            .Order(StringComparer.Ordinal)
            .ToArray();

    /// <summary>Renders <paramref name="name"/> (e.g. "keepalived.conf") with <paramref name="view"/>.</summary>
    public string Render(string name, object view)
    {
        var template = _compiled.GetOrAdd(name, n => _handlebars.Compile(LoadSource(n)));
        try
        {
            return template(view);
        }
        catch (HandlebarsException e)
        {
            throw new TemplateException($"template '{name}' ({SourceOf(name)}) failed to render: {e.Message}", e);
        }
    }

    public string SourceOf(string name)
    {
        var overridePath = OverridePath(name);
        return overridePath is not null && File.Exists(overridePath) ? overridePath : $"embedded {name}.hbs";
    }

    public static string EmbeddedSource(string name)
    {
        using var stream = typeof(TemplateRenderer).Assembly.GetManifestResourceStream($"HaManager.Templates.{name}.hbs")
            ?? throw new TemplateException($"no template named '{name}'; known: {string.Join(", ", EmbeddedTemplateNames)}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private string LoadSource(string name)
    {
        var overridePath = OverridePath(name);
        return overridePath is not null && File.Exists(overridePath) ? File.ReadAllText(overridePath) : EmbeddedSource(name);
    }

    private string? OverridePath(string name) =>
        _overrideDirectory is null ? null : Path.Combine(_overrideDirectory, name + ".hbs");
}
