using Discovery.Consul;
using Discovery.Core.Status;
using Spectre.Console;

namespace Discovery.Cli.Output;

/// <summary>
/// The live status view of `agent status --watch` and `agent lab up`: redrawn on every change
/// (FleetStatusWatcher's blocking queries, never a fixed-period poll) until Ctrl-C.
/// </summary>
internal static class FleetStatusLive
{
    /// <param name="maxAge">Longest time between redraws when nothing changes (keeps instance ages current).</param>
    public static async Task ShowAsync(ConsulClient client, string prefix, string? onlyApp, TimeSpan maxAge, CancellationToken cancellationToken)
    {
        var reader = new FleetStatusReader(client, prefix, TimeProvider.System);
        var watcher = new FleetStatusWatcher(client, reader, TimeProvider.System);
        await AnsiConsole.Live(new Markup("[grey]reading…[/]")).AutoClear(false).StartAsync(async context =>
        {
            try
            {
                // Keeps going through a Consul outage (the watches retry); that is exactly when someone is looking.
                await foreach (var status in watcher.WatchAsync(prefix, onlyApp, maxAge, error => Show(context, error), cancellationToken))
                {
                    context.UpdateTarget(FleetStatusView.Render(status));
                    context.Refresh();
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl-C: leave the last view on screen.
            }
        });
    }

    private static void Show(LiveDisplayContext context, Exception error)
    {
        context.UpdateTarget(new Markup($"[red]{Markup.Escape(error.Message)}[/]"));
        context.Refresh();
    }
}
