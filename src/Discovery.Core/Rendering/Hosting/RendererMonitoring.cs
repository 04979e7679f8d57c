using Discovery.Consul;
using Discovery.Core.Observability;
using Discovery.Core.Rendering.Health;

namespace Discovery.Core.Rendering.Hosting;

/// <summary>What the renderer's <c>/health</c> checks: Consul answers, the render loop and the lb registration run, and no template's last render failed.</summary>
internal static class RendererMonitoring
{
    public static HealthState Health(ConsulClient client, MonitoringConfig monitoring, RendererHealth health, Task rendering, Task registration, TimeProvider time)
    {
        var state = new HealthState(client, monitoring.ConsulStaleAfter, time);
        state.AddLoop("render loop", () => rendering);
        if (!ReferenceEquals(registration, Task.CompletedTask))
        {
            state.AddLoop("lb registration", () => registration);
        }
        state.Add("templates", () =>
        {
            var failing = health.Snapshot(time.GetUtcNow()).Templates.Where(template => template.LastError is not null).ToList();
            return failing.Count == 0 ? null : string.Join("; ", failing.Select(template => $"{template.Source}: {template.LastError}"));
        });
        return state;
    }
}
