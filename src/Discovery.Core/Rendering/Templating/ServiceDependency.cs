namespace Discovery.Core.Rendering.Templating;

/// <summary>
/// <c>service "…"</c>: <c>/v1/health/service/&lt;name&gt;</c>. Value: the instances as an
/// <see cref="IReadOnlyList{T}"/> of <see cref="TemplateServiceInstance"/> (may include statuses and
/// tags the query does not want; the engine filters).
/// </summary>
internal sealed record ServiceDependency(ServiceQuery Query) : TemplateDependency
{
    public override string ToString() => $"health.service({Query})";
}
