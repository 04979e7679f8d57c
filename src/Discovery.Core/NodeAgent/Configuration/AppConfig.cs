namespace Discovery.Core.NodeAgent.Configuration;

/// <summary>
/// One app the node may run, as validated from the config file. Command, args, env values and the
/// working directory may contain placeholders (see <see cref="Placeholders"/>) that are expanded per instance.
/// </summary>
/// <param name="Name">Consul service name; letters, digits, '.', '_' and '-'.</param>
/// <param name="Version">Free text put in the service meta. Default: "0".</param>
/// <param name="Command">Executable (absolute path or found on PATH).</param>
/// <param name="Args">Arguments, one per item (no shell splitting).</param>
/// <param name="Env">Environment variables set for the app (placeholders expanded).</param>
/// <param name="WorkingDir">Working directory; null = the agent's.</param>
/// <param name="Ports">Ports instances may listen on; each instance gets one free port from it.</param>
/// <param name="Health">The HTTP health check the registrar registers.</param>
/// <param name="DrainTimeout">Longest wait for the load balancers to drop an instance before it is stopped. Default 10s.</param>
/// <param name="StopTimeout">Time between SIGTERM and SIGKILL. Default 10s.</param>
/// <param name="Restart">Backoff and crash-loop policy.</param>
/// <param name="DefaultInstances">Instances to run on this node while no placement exists. Default 1.</param>
/// <param name="LogMaxBytes">A log file larger than this is cut to its newest half. Default 10 MiB.</param>
/// <param name="PassEnv">
/// The only variables of the agent's own environment an instance receives (by name, when set).
/// An app never inherits the agent's environment, which may hold its Consul token
/// (<c>CONSUL_HTTP_TOKEN</c>); <c>CONSUL_*</c> names are refused here. Default <see cref="DefaultPassEnv"/>.
/// </param>
/// <param name="User">Unix user the instances run as (with its primary and supplementary groups), via
/// setpriv; needs an agent running as root. Null = the agent's user.</param>
public sealed record AppConfig(
    string Name,
    string Version,
    string Command,
    IReadOnlyList<string> Args,
    IReadOnlyDictionary<string, string> Env,
    string? WorkingDir,
    PortRange Ports,
    HealthCheckConfig Health,
    TimeSpan DrainTimeout,
    TimeSpan StopTimeout,
    RestartPolicyConfig Restart,
    int DefaultInstances,
    long LogMaxBytes,
    IReadOnlyList<string> PassEnv,
    AppUser? User)
{
    /// <summary>What a typical app needs to find its tools and format text, and nothing secret.</summary>
    public static readonly IReadOnlyList<string> DefaultPassEnv = ["PATH", "LANG", "LC_ALL", "TZ"];

    public static readonly TimeSpan DefaultDrainTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan DefaultStopTimeout = TimeSpan.FromSeconds(10);
    public const int DefaultDefaultInstances = 1;
    public const long DefaultLogMaxBytes = 10L * 1024 * 1024;

    /// <summary>
    /// The folder holding one version's files, with a {version} placeholder (e.g.
    /// <c>/opt/web/{version}</c>); null when the app has none. A version whose folder is missing is
    /// never started (<see cref="AppVersions"/>), and {artifacts} in the command expands to it.
    /// </summary>
    public string? Artifacts { get; init; }

    /// <summary>Smallest accepted <see cref="LogMaxBytes"/>: below this, trimming would churn constantly.</summary>
    public const long MinLogMaxBytes = 4096;
}
