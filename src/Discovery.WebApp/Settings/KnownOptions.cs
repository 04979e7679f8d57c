namespace Discovery.WebApp.Settings;

/// <summary>Every setting the app understands; the parser and the usage text both read this one list.</summary>
internal static class KnownOptions
{
    public static readonly WebAppOption App = new("app", "WEBAPP_APP", "<name>", "service name to report (default: web)");
    public static readonly WebAppOption Version = new("version", "WEBAPP_VERSION", "<v>", "version to report (default: 1.0.0)");
    public static readonly WebAppOption Node = new("node", "WEBAPP_NODE", "<name>", "node name to report (default: this host's name)");
    public static readonly WebAppOption Instance = new("instance", "WEBAPP_INSTANCE", "<id>", "instance ID to report (default: <app>-<node>-<port>)");
    public static readonly WebAppOption Address = new("address", "WEBAPP_ADDRESS", "<ip>", "IP address to listen on (default: 127.0.0.1)");
    public static readonly WebAppOption Port = new("port", "WEBAPP_PORT", "<n>", "TCP port to listen on, 1-65535 (required)");
    public static readonly WebAppOption DrainTimeout = new("drain-timeout", "WEBAPP_DRAIN_TIMEOUT", "<seconds>", "after SIGTERM, how long in-flight requests may finish, 0-3600 (default: 10)");
    public static readonly WebAppOption StartupDelay = new("startup-delay", "WEBAPP_STARTUP_DELAY", "<ms>", "simulate a slow start: /health is 503 this long after listening, 0-600000 (default: 0)");

    public static readonly WebAppOption Failure = new("failure", "WEBAPP_FAILURE", "<mode>", "a bad build for deploy tests: none, health (/health always 503) or errors:<percent> (that share of GET / answers 500) (default: none)");

    public static IReadOnlyList<WebAppOption> All { get; } = [App, Version, Node, Instance, Address, Port, DrainTimeout, StartupDelay, Failure];
}
