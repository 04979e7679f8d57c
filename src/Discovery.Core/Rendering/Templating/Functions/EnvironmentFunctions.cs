using Discovery.Core.Rendering.Templating.Evaluation;

namespace Discovery.Core.Rendering.Templating.Functions;

/// <summary>env and timestamp: what a render reads from the renderer's own process rather than Consul.</summary>
internal static class EnvironmentFunctions
{
    public static IEnumerable<TemplateFunction> All()
    {
        yield return new TemplateFunction("env", 1, 1, TypeRules.Strings(TemplateType.String),
            (context, a) => context.Environment.GetVariable(a.GetString(0)) ?? "");
        yield return new TemplateFunction("timestamp", 0, 1, TypeRules.Strings(TemplateType.String), Timestamp);
    }

    /// <summary>consul-template's timestamp: now in UTC as RFC 3339, "unix" seconds, or formatted with a Go layout.</summary>
    private static object? Timestamp(RenderContext context, FunctionArguments arguments)
    {
        var now = context.Environment.Time.GetUtcNow();
        if (arguments.Count == 0)
        {
            return GoTimeLayout.Format(now, GoTimeLayout.Rfc3339);
        }

        var layout = arguments.GetString(0);
        return layout == "unix"
            ? now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)
            : GoTimeLayout.Format(now, layout);
    }
}
