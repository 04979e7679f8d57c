namespace Discovery.Core.Rendering.Templating;

/// <summary>
/// Which aggregated health statuses a <c>service "name|…"</c> query accepts. consul-template's
/// default (no <c>|filter</c>) is <see cref="Passing"/> only.
/// </summary>
[Flags]
internal enum ServiceHealthFilter
{
    None = 0,
    Passing = 1,
    Warning = 2,
    Critical = 4,
    Maintenance = 8,
    Any = Passing | Warning | Critical | Maintenance,
}
