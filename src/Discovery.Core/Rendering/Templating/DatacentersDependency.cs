namespace Discovery.Core.Rendering.Templating;

/// <summary>
/// <c>datacenters [ignoreFailing]</c>: <c>/v1/catalog/datacenters</c>, which cannot block, so it is
/// polled (as consul-template does). With <paramref name="IgnoreFailing"/>, datacenters that do not
/// answer a consistent read are left out. Value: an <see cref="IReadOnlyList{T}"/> of names.
/// </summary>
internal sealed record DatacentersDependency(bool IgnoreFailing) : TemplateDependency
{
    public override string ToString() => IgnoreFailing ? "catalog.datacenters(ignore-failing)" : "catalog.datacenters";
}
