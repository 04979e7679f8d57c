using System.Globalization;
using Discovery.Core.Status;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Discovery.Cli.Output;

/// <summary>Renders <see cref="FleetStatus"/> as Spectre.Console tables (one block per app).</summary>
internal static class FleetStatusView
{
    public static IRenderable Render(FleetStatus status)
    {
        var rows = new List<IRenderable>
        {
            new Markup($"[grey]{status.ReadAt.ToLocalTime():HH:mm:ss}  consul leader {Markup.Escape(status.ConsulLeader.Length > 0 ? status.ConsulLeader : "none")}[/]"),
        };
        if (status.Apps.Count == 0)
        {
            rows.Add(new Markup("[yellow]no Discovery apps (no service tagged 'discovery', no KV under apps/)[/]"));
        }

        foreach (var app in status.Apps)
        {
            rows.Add(RenderApp(app));
        }

        return new Rows(rows);
    }

    private static IRenderable RenderApp(AppStatus app)
    {
        var summary = new Grid().AddColumn().AddColumn();
        summary.AddRow("[bold]desired / placed / running / passing / routed[/]",
            $"{Text(app.Desired)} / {app.Placed} / {app.Running} / {app.Passing} / {app.Routed}");
        summary.AddRow("placement", Markup.Escape(app.Placement.Count == 0 ? "-" : string.Join(", ", app.Placement.Select(pair => $"{pair.Key}={pair.Value}"))));
        if (app.Deploy is { } deploy)
        {
            summary.AddRow("version", Markup.Escape(deploy));
        }

        summary.AddRow("autoscale", app.Autoscale ? "[green]on[/]" : "[yellow]off[/]");
        summary.AddRow("hold", app.Hold is null ? "-" : Markup.Escape(
            $"{Text(app.Hold.Count)} until {app.Hold.Until?.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture) ?? "?"}{(app.Hold.Active ? "" : " (expired)")} {app.Hold.Reason}"));
        summary.AddRow("leader", app.Leader is null ? "[red]none[/]" : Markup.Escape(
            $"{app.Leader.Node ?? "?"} ({app.Leader.SessionName ?? app.Leader.Session[..8]}), fencing token {app.Leader.FencingToken}"));
        foreach (var decision in app.Decisions)
        {
            summary.AddRow($"[grey]decision {Markup.Escape(decision.Sequence)}[/]", Markup.Escape(decision.Summary));
        }

        var instances = new Table().Border(TableBorder.Simple)
            .AddColumns("instance", "node", "address", "health", "routed", "version", "age");
        foreach (var instance in app.Instances)
        {
            instances.AddRow(
                Markup.Escape(instance.Id),
                Markup.Escape(instance.Node),
                Markup.Escape($"{instance.Address}:{instance.Port}"),
                Health(instance.Health),
                instance.Routed ? "[green]yes[/]" : "[grey]no[/]",
                Markup.Escape(instance.Version ?? "-"),
                instance.Age is { } age ? FormatAge(age) : "-");
        }

        return new Panel(new Rows(summary, instances)).Header($"[bold]{Markup.Escape(app.Name)}[/]").Expand();
    }

    private static string Text(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";

    private static string Health(string health) => health switch
    {
        "passing" => "[green]passing[/]",
        "warning" => "[yellow]warning[/]",
        _ => $"[red]{Markup.Escape(health)}[/]",
    };

    internal static string FormatAge(TimeSpan age) =>
        age.TotalHours >= 1 ? $"{(int)age.TotalHours}h{age.Minutes:00}m"
        : age.TotalMinutes >= 1 ? $"{(int)age.TotalMinutes}m{age.Seconds:00}s"
        : $"{Math.Max(0, (int)age.TotalSeconds)}s";
}
