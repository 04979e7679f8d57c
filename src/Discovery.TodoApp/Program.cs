using Discovery.Consul;
using Discovery.TodoApp;
using Serilog;
using Serilog.Events;

var settings = TodoSettings.Parse(args, out var errors);
if (errors.Count > 0)
{
    foreach (var error in errors)
    {
        Console.Error.WriteLine("error: " + error);
    }

    Console.Error.WriteLine("usage: Discovery.TodoApp --port N [--address IP] [--consul URL] [--consul-token-file F] [--cluster pg] [--database todo] [--user todo] --password-file F");
    return 2;
}

var builder = WebApplication.CreateSlimBuilder();
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(settings.EndPoint));
// Serilog through its hosting integration, like the other sample app: one line per event.
builder.Services.AddSerilog(logger => logger
    .MinimumLevel.Information()
    .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
    .WriteTo.Console(
        outputTemplate: "{UtcTimestamp:yyyy-MM-ddTHH:mm:ss.fffZ} {Level:u4} {SourceContext}: {Message:lj}{NewLine}{Exception}",
        formatProvider: System.Globalization.CultureInfo.InvariantCulture));
builder.Services.AddSingleton(settings);
builder.Services.AddSingleton(TimeProvider.System);
// The Consul client library alone, as any app would use it: the agent's connection factory
// (Discovery.Core) would bring the whole agent into a sample app. The token file was read, and
// its problems reported with exit 2, by TodoSettings.
builder.Services.AddSingleton(services => new ConsulClient(
    new ConsulClientOptions { Address = settings.Consul, Token = settings.ConsulToken }, null, services.GetRequiredService<TimeProvider>()));
builder.Services.AddSingleton<DatabaseRouter>();
builder.Services.AddHostedService(services => services.GetRequiredService<DatabaseRouter>());
builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));
var app = builder.Build();
TodoEndpoints.Map(app);
await app.RunAsync();
return 0;
