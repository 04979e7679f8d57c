using System.Text;
using System.Text.Json;
using Discovery.WebApp.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Discovery.WebApp.Flags;

/// <summary>
/// The flags this instance sees: re-read from the node agent's file whenever its write time
/// changes (checked every 100 ms — a stat, cheaper than an inotify watch per instance, and well
/// within the one second a change may take), so a flag flips without a restart. A file that cannot
/// be read keeps the last flags. Per request a flag is on when enabled and the request key (header
/// <c>X-User</c>, else cookie <c>user</c>) hashes below its percent: the same key always gets the
/// same answer.
/// </summary>
internal sealed partial class FeatureFlags(TimeProvider time, ILogger<FeatureFlags> logger) : BackgroundService
{
    public const string FileVariable = "DISCOVERY_FLAGS_FILE";
    private static readonly TimeSpan CheckInterval = TimeSpan.FromMilliseconds(100);
    private readonly string? _file = Environment.GetEnvironmentVariable(FileVariable);
    private volatile IReadOnlyDictionary<string, FlagValue> _flags = new Dictionary<string, FlagValue>();
    private DateTime _seen;

    /// <summary>Every flag's value for this request, by name.</summary>
    public IReadOnlyDictionary<string, bool> For(HttpContext context)
    {
        var key = context.Request.Headers["X-User"].FirstOrDefault() ?? context.Request.Cookies["user"] ?? "";
        return _flags.ToDictionary(pair => pair.Key, pair => IsOn(pair.Key, pair.Value, key), StringComparer.Ordinal);
    }

    /// <summary>On for this key: enabled, and the key's bucket (0-99, a stable hash of flag and key) is below the percent.</summary>
    public static bool IsOn(string name, FlagValue flag, string key) => flag.Enabled && Bucket(name, key) < flag.Percent;

    /// <summary>FNV-1a over "flag:key", mod 100: the same everywhere and in every process (string.GetHashCode is randomized per process).</summary>
    public static int Bucket(string name, string key)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes($"{name}:{key}"))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash % 100);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_file is null)
        {
            return;
        }

        using var timer = new PeriodicTimer(CheckInterval, time);
        do
        {
            Reload();
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private void Reload()
    {
        try
        {
            var written = File.GetLastWriteTimeUtc(_file!);
            if (written == _seen || !File.Exists(_file))
            {
                return;
            }

            var file = JsonSerializer.Deserialize(File.ReadAllText(_file!), WebAppJsonContext.Default.FlagFile);
            _flags = (file?.Flags ?? []).Where(pair => pair.Value.Percent is >= 0 and <= 100).ToDictionary(StringComparer.Ordinal);
            _seen = written;
            LogLoaded(_flags.Count, _file!);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            LogUnreadable(_file!, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} feature flag(s) from {File}")]
    private partial void LogLoaded(int count, string file);

    [LoggerMessage(Level = LogLevel.Warning, Message = "flags file {File} unreadable, keeping the last flags: {Reason}")]
    private partial void LogUnreadable(string file, string reason);
}
