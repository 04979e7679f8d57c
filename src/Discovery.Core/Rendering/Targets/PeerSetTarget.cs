using System.Text;
using Discovery.Core.Rendering.Commands;
using Discovery.Core.Rendering.Configuration;
using Discovery.Core.Rendering.Peers;

namespace Discovery.Core.Rendering.Targets;

/// <summary>
/// A peer set handed to nginx without a reload: validate (the rules nginx applies, PeerSetText),
/// compare with what nginx itself routes by now (GET on its peer endpoint), push when they differ,
/// read back, and save exactly nginx's view as the destination — the file nginx loads at start, so
/// a restarted nginx routes by the last set it accepted. With no nginx running the set is only
/// saved, for its start. Unchanged means nginx already routes by this set, so a restarted renderer
/// (or a restarted nginx, on the next refresh) is corrected at once. No check, no command.
/// </summary>
internal sealed class PeerSetTarget : IRenderTarget, IRoutingTarget
{
    private readonly PeerEndpointClient _endpoint;
    private readonly string _pidFile;
    private IReadOnlyList<string>? _routed;
    private long _pushes;

    public PeerSetTarget(string destination, PeerEndpointClient endpoint, string pidFile, TimeSpan refreshInterval)
    {
        Name = Path.GetFullPath(destination);
        _endpoint = endpoint;
        _pidFile = pidFile;
        RefreshInterval = refreshInterval;
    }

    public string Name { get; }

    public IReadOnlyList<IRenderCommand> Commands => [];

    public IReadOnlyList<string>? Routed => Volatile.Read(ref _routed);

    public TimeSpan RefreshInterval { get; }

    /// <summary>Pushes made (instance changes routed without a reload).</summary>
    public long Pushes => Interlocked.Read(ref _pushes);

    /// <summary>The target for <paramref name="template"/>'s <c>peers:</c> section, reading its secret now.</summary>
    /// <exception cref="Discovery.Core.Configuration.ConfigException">The secret file cannot be read or is too short for nginx.</exception>
    public static PeerSetTarget Create(TemplateConfig template, PeerPushConfig peers, HttpClient http, TimeProvider time)
    {
        var secret = ReadSecret(peers.SecretFile);
        var endpoint = new PeerEndpointClient(http, peers.Endpoint, secret, peers.RequestTimeout, time);
        return new PeerSetTarget(template.Destination, endpoint, peers.PidFile, peers.VerifyInterval);
    }

    public async Task<TargetChange> ApplyAsync(string content, CancellationToken cancellationToken)
    {
        var set = PeerSetText.Parse(content, out var refusal);
        if (set is null)
        {
            return TargetChange.Failed($"peer set refused before sending: {refusal}");
        }

        var canonical = PeerSetText.Format(set.Peers);
        if (!NginxController.IsRunning(_pidFile))
        {
            // Not running: what nginx will load at start is what it will route by.
            var saved = await SaveAsync(canonical, cancellationToken).ConfigureAwait(false);
            if (saved.Kind != TargetChangeKind.Failed)
            {
                Volatile.Write(ref _routed, set.InstanceIds());
            }

            return saved;
        }

        try
        {
            var view = await _endpoint.ReadAsync(cancellationToken).ConfigureAwait(false);
            var changed = !string.Equals(view.Text, canonical, StringComparison.Ordinal);
            if (changed)
            {
                await _endpoint.PushAsync(content, cancellationToken).ConfigureAwait(false);
                view = await _endpoint.ReadAsync(cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _pushes);
            }

            Volatile.Write(ref _routed, view.Set.InstanceIds());
            var saved = await SaveAsync(view.Text, cancellationToken).ConfigureAwait(false);
            return saved.Kind == TargetChangeKind.Failed ? TargetChange.Failed($"nginx routes by the new peer set, but {saved.Error}")
                : changed ? new TargetChange(TargetChangeKind.Changed)
                : saved;
        }
        catch (PeerEndpointException error)
        {
            return TargetChange.Failed(error.Message);
        }
    }

    private static string ReadSecret(string path)
    {
        string secret;
        try
        {
            secret = File.ReadAllText(path).Trim();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new Discovery.Core.Configuration.ConfigException([new Discovery.Core.Configuration.ConfigError("peers.secretFile", $"cannot read {path}: {error.Message}")]);
        }

        return secret.Length >= PeerPushConfig.MinSecretLength && !secret.Any(char.IsWhiteSpace)
            ? secret
            : throw new Discovery.Core.Configuration.ConfigException([new Discovery.Core.Configuration.ConfigError(
                "peers.secretFile", $"the secret in {path} must be at least {PeerPushConfig.MinSecretLength} characters without spaces (nginx refuses shorter ones)")]);
    }

    /// <summary>Writes next to the file and renames over it (nginx never reads half a file); unchanged content is not rewritten.</summary>
    private async Task<TargetChange> SaveAsync(string content, CancellationToken cancellationToken)
    {
        var bytes = new UTF8Encoding(false).GetBytes(content);
        try
        {
            if (File.Exists(Name) && (await File.ReadAllBytesAsync(Name, cancellationToken).ConfigureAwait(false)).AsSpan().SequenceEqual(bytes))
            {
                return TargetChange.Unchanged;
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // Unreadable: write it anew below.
        }

        var temporary = Path.Combine(Path.GetDirectoryName(Name)!, $".{Path.GetFileName(Name)}.{Environment.ProcessId}.tmp");
        try
        {
            await File.WriteAllBytesAsync(temporary, bytes, cancellationToken).ConfigureAwait(false);
            File.Move(temporary, Name, overwrite: true);
            return new TargetChange(TargetChangeKind.Changed);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temporary);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
            }

            return TargetChange.Failed($"cannot save the peer set to {Name}: {error.Message}");
        }
    }
}
