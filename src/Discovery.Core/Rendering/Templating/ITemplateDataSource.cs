namespace Discovery.Core.Rendering.Templating;

/// <summary>
/// What the engine reads while rendering: the latest answer for one dependency. Returns false
/// while that dependency has not been answered yet (the watcher has no data from Consul); the
/// render is then reported incomplete and must not be written. The value's type is the one each
/// dependency record documents. The engine filters, trims and sorts itself, so implementations
/// may return entries in any order.
/// </summary>
internal interface ITemplateDataSource
{
    bool TryGet(TemplateDependency dependency, out object? value);
}
