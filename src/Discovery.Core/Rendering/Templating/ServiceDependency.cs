namespace Discovery.Core.Rendering.Templating;

/// <summary><c>service "…"</c>: <c>/v1/health/service/&lt;name&gt;</c> with tag and status filter.</summary>
internal sealed record ServiceDependency(ServiceQuery Query) : TemplateDependency
{
    public override string ToString() => $"health.service({Query})";
}
