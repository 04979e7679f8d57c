namespace Discovery.Core.Rendering.Templating;

/// <summary>
/// What the engine reads while rendering. Each method returns false while that data has not been
/// loaded yet (the watcher has no answer from Consul); the render is then reported incomplete and
/// must not be written. The engine filters instances by the query's tag and status and sorts all
/// lists itself, so implementations may return entries in any order.
/// </summary>
internal interface ITemplateDataSource
{
    /// <summary>Instances of <paramref name="query"/>'s service (may include more statuses than asked for).</summary>
    bool TryGetService(ServiceQuery query, out IReadOnlyList<TemplateServiceInstance> instances);

    /// <summary>All services in the catalog with their tags.</summary>
    bool TryGetServices(out IReadOnlyList<TemplateCatalogService> services);

    /// <summary>The value at <paramref name="path"/>; loaded with a null value means the key does not exist.</summary>
    bool TryGetKey(string path, out string? value);
}
