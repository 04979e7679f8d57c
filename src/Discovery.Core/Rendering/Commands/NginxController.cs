using System.Diagnostics;
using System.Globalization;
using Discovery.Core.Rendering.Configuration;

namespace Discovery.Core.Rendering.Commands;

/// <summary>Runs <c>nginx -t</c> and <c>nginx -s reload</c> for one nginx (<c>-p</c> prefix + <c>-c</c> config), each with a timeout.</summary>
internal sealed class NginxController
{
    private readonly NginxControlConfig _config;

    public NginxController(NginxControlConfig config) => _config = config;

    public NginxControlConfig Config => _config;

    /// <summary>Whether a master process is running: the pid file exists and names a live process.</summary>
    public bool IsRunning() => IsRunning(_config.PidFile);

    /// <summary>Whether the nginx whose pid file is <paramref name="pidFile"/> runs.</summary>
    public static bool IsRunning(string pidFile)
    {
        try
        {
            var text = File.ReadAllText(pidFile).Trim();
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                return false;
            }

            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Validates the whole configuration rooted at <paramref name="configFile"/> (the real one or a candidate).</summary>
    public Task<CommandResult> TestAsync(string configFile, CancellationToken cancellationToken) =>
        ExternalCommand.RunAsync(_config.Binary, ["-t", "-q", .. CommonArguments(configFile)], null, _config.ReloadTimeout, cancellationToken);

    /// <summary>Asks the running master to reload the real configuration.</summary>
    public Task<CommandResult> ReloadAsync(CancellationToken cancellationToken) =>
        ExternalCommand.RunAsync(_config.Binary, [.. CommonArguments(_config.Config), "-s", "reload"], null, _config.ReloadTimeout, cancellationToken);

    private string[] CommonArguments(string configFile)
    {
        // -e: Debian's compiled-in error log is under /var/log/nginx, which a non-root nginx cannot open.
        var logs = Path.Combine(_config.Prefix, "logs");
        return Directory.Exists(logs)
            ? ["-p", _config.Prefix.TrimEnd('/') + "/", "-c", configFile, "-e", Path.Combine(logs, "error.log")]
            : ["-p", _config.Prefix.TrimEnd('/') + "/", "-c", configFile];
    }
}
