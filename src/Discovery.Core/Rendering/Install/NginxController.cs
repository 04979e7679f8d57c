using System.Diagnostics;
using System.Globalization;
using Discovery.Core.Rendering.Configuration;

namespace Discovery.Core.Rendering.Install;

/// <summary>Runs <c>nginx -t</c> and <c>nginx -s reload</c> for one nginx (<c>-p</c> prefix + <c>-c</c> config), each with a timeout.</summary>
internal sealed class NginxController
{
    private readonly NginxControlConfig _config;

    public NginxController(NginxControlConfig config) => _config = config;

    public NginxControlConfig Config => _config;

    /// <summary>Whether a master process is running: the pid file exists and names a live process.</summary>
    public bool IsRunning()
    {
        try
        {
            var text = File.ReadAllText(_config.PidFile).Trim();
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
        RunAsync(["-t", "-q", .. CommonArguments(configFile)], cancellationToken);

    /// <summary>Asks the running master to reload the real configuration.</summary>
    public Task<CommandResult> ReloadAsync(CancellationToken cancellationToken) =>
        RunAsync([.. CommonArguments(_config.Config), "-s", "reload"], cancellationToken);

    private string[] CommonArguments(string configFile)
    {
        // -e: Debian's compiled-in error log is under /var/log/nginx, which a non-root nginx cannot open.
        var logs = Path.Combine(_config.Prefix, "logs");
        return Directory.Exists(logs)
            ? ["-p", _config.Prefix.TrimEnd('/') + "/", "-c", configFile, "-e", Path.Combine(logs, "error.log")]
            : ["-p", _config.Prefix.TrimEnd('/') + "/", "-c", configFile];
    }

    private async Task<CommandResult> RunAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(_config.Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {_config.Binary}");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_config.ReloadTimeout);
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            return new CommandResult(true, -1, await stderr.ConfigureAwait(false) + await stdout.ConfigureAwait(false));
        }

        return new CommandResult(false, process.ExitCode, await stderr.ConfigureAwait(false) + await stdout.ConfigureAwait(false));
    }
}
