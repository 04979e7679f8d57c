using Discovery.WebApp.Hosting;
using Discovery.WebApp.Lifecycle;
using Discovery.WebApp.Settings;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// Taken before anything else so uptime counts the whole cold start.
var processStart = new ProcessStart(TimeProvider.System);

var parsed = WebAppSettingsParser.Parse(args, Environment.GetEnvironmentVariable, Environment.MachineName);
if (parsed.HelpRequested)
{
    Console.Out.Write(UsageText.Render());
    return 0;
}

if (parsed.Settings is not { } settings)
{
    foreach (var error in parsed.Errors)
    {
        Console.Error.WriteLine($"error: {error}");
    }

    Console.Error.WriteLine();
    Console.Error.Write(UsageText.Render());
    return 2;
}

await using var app = WebAppHost.Build(settings, processStart);
var logger = app.Services.GetRequiredService<ILogger<Program>>();
LifecycleLog.Starting(logger, settings.App, settings.Version, settings.Node, settings.Instance, Environment.ProcessId,
    settings.StartupDelay.TotalMilliseconds, settings.DrainTimeout.TotalSeconds);
try
{
    await app.RunAsync();
    return 0;
}
catch (IOException bindFailure)
{
    // Kestrel reports a taken port or an address this host does not have as an IOException.
    LifecycleLog.StartFailed(logger, settings.EndPoint, bindFailure.Message);
    return 1;
}
