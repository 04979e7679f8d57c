using Discovery.Consul;
using Discovery.TodoApp;

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
builder.Logging.AddSimpleConsole(console => { console.SingleLine = true; console.UseUtcTimestamp = true; console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ "; });
builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
builder.Services.AddSingleton(settings);
builder.Services.AddSingleton(new ConsulClient(new ConsulClientOptions { Address = settings.Consul, Token = settings.ConsulToken }));
builder.Services.AddSingleton<DatabaseRouter>();
builder.Services.AddHostedService(services => services.GetRequiredService<DatabaseRouter>());
builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));
var app = builder.Build();
TodoEndpoints.Map(app);
await app.RunAsync();
return 0;
