using Discovery.Consul;
using Discovery.Consul.KV;
using Discovery.Consul.Watching;
using Discovery.Core.Flags;
using Microsoft.Extensions.Logging;

namespace Discovery.Core.NodeAgent.Flags;

/// <summary>
/// Delivers one app's feature flags to its running instances: follows <c>apps/&lt;app&gt;/flags/</c>
/// with a blocking query and, when the flags change, rewrites one file atomically
/// (<see cref="FlagsFile"/>, passed to each instance as <c>DISCOVERY_FLAGS_FILE</c>). The node agent
/// pushes rather than each app watching Consul: apps need no Consul client and no token, one watch
/// serves every instance on the node, and a flag that is not valid is dropped here, with its reason,
/// before any app sees it. Consul down: the file keeps the last flags.
/// </summary>
internal sealed partial class FlagsPublisher(ConsulClient consul, string flagsPrefix, string app, string file, TimeProvider time, ILogger logger)
{
    public const string EnvironmentVariable = "DISCOVERY_FLAGS_FILE";

    /// <summary>Where a node agent keeps an app's flags file.</summary>
    public static string FlagsFile(string dataDir, string app) => Path.Combine(dataDir, "flags", app + ".json");

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var changes = BlockingWatch.WatchAsync(
                (options, token) => consul.KV.ListAsync(flagsPrefix, options, token),
                onError: (error, delay) => LogUnreadable(app, delay, error.Message),
                time: time,
                cancellationToken: cancellationToken)
            .Select(result => result.Value)
            .WhereChanged(KVPairComparer.Listing, _ => { }, cancellationToken);
        try
        {
            await foreach (var pairs in changes.ConfigureAwait(false))
            {
                Publish(pairs);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private void Publish(IReadOnlyList<KVPair> pairs)
    {
        var flags = new Dictionary<string, FeatureFlag>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var name = pair.Key[flagsPrefix.Length..];
            if (!FlagJson.IsValidName(name))
            {
                LogSkipped(app, pair.Key, "not a valid flag name (letters, digits, '.', '_', '-', 64 at most)");
                continue;
            }

            if (FlagJson.Read(pair.ValueAsString(), out var error) is { } flag)
            {
                flags[name] = flag;
            }
            else
            {
                LogSkipped(app, pair.Key, error ?? "unreadable");
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var temporary = $"{file}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temporary, FlagJson.WriteFile(flags));
        File.Move(temporary, file, overwrite: true);
        LogPublished(app, flags.Count, file);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{App}: {Count} feature flag(s) published to {File}")]
    private partial void LogPublished(string app, int count, string file);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{App}: flag {Key} skipped: {Reason}")]
    private partial void LogSkipped(string app, string key, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{App}: cannot read flags (retrying in {Delay}; instances keep the last ones): {Reason}")]
    private partial void LogUnreadable(string app, TimeSpan delay, string reason);
}
