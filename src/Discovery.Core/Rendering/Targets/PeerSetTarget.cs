using System.Text;
using Discovery.Core.Rendering.Commands;
using Discovery.Core.Rendering.Configuration;
using Discovery.Core.Rendering.Peers;

namespace Discovery.Core.Rendering.Targets;

/// <summary>
/// A peer set handed to nginx without a reload: validate (the rules nginx applies, PeerSetText),
/// push it (one PUT, whose answer is the set nginx routes by now), and save exactly nginx's view as
/// the destination — the file nginx loads at start, so a restarted nginx routes by the last set it
/// accepted. With no nginx running the set is only saved, for its start. A set nginx already
/// confirmed is not sent again; once per <see cref="RefreshInterval"/> nginx's own view is read
/// (GET) and pushed to again if it differs (an nginx restarted from an older file). Every request
/// counts in nginx's stub_status like a client's: about one per instance change, plus the
/// refresh. A new renderer process pushes at once. No check, no command.
/// </summary>
internal sealed class PeerSetTarget : IRenderTarget, IRoutingTarget
{
    private readonly PeerEndpointClient _endpoint;
    private readonly string _pidFile;
    private readonly TimeProvider _time;
    private IReadOnlyList<string>? _routed;
    private long _pushes;

    /// <summary>The canonical set nginx last confirmed (a push's answer or a read-back), and when.</summary>
    private string? _confirmed;
    private long _confirmedAt;

    public PeerSetTarget(string destination, PeerEndpointClient endpoint, string pidFile, TimeSpan refreshInterval, TimeProvider time)
    {
        Name = Path.GetFullPath(destination);
        _endpoint = endpoint;
        _pidFile = pidFile;
        RefreshInterval = refreshInterval;
        _time = time;
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
        return new PeerSetTarget(template.Destination, endpoint, peers.PidFile, peers.VerifyInterval, time);
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
            _confirmed = null;
            var saved = await SaveAsync(canonical, cancellationToken).ConfigureAwait(false);
            if (saved.Kind != TargetChangeKind.Failed)
            {
                Volatile.Write(ref _routed, set.InstanceIds());
            }

            return saved;
        }

        var confirmed = string.Equals(canonical, _confirmed, StringComparison.Ordinal);
        if (confirmed && _time.GetElapsedTime(_confirmedAt) < RefreshInterval)
        {
            return TargetChange.Unchanged;
        }

        try
        {
            if (confirmed)
            {
                // Refresh: does nginx still route by what it confirmed?
                var current = await _endpoint.ReadAsync(cancellationToken).ConfigureAwait(false);
                if (string.Equals(current.Text, canonical, StringComparison.Ordinal))
                {
                    Confirm(canonical, current);
                    return TargetChange.Unchanged;
                }
            }

            var pushed = await _endpoint.PushAsync(content, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _pushes);
            Confirm(canonical, pushed.View);
            var saved = await SaveAsync(pushed.View.Text, cancellationToken).ConfigureAwait(false);
            return saved.Kind == TargetChangeKind.Failed
                ? TargetChange.Failed($"nginx routes by the new peer set, but {saved.Error}")
                : new TargetChange(TargetChangeKind.Changed);
        }
        catch (PeerEndpointException error)
        {
            _confirmed = null;
            return TargetChange.Failed(error.Message);
        }
    }

    private void Confirm(string canonical, PeerEndpointView view)
    {
        _confirmed = canonical;
        _confirmedAt = _time.GetTimestamp();
        Volatile.Write(ref _routed, view.RoutedInstanceIds());
    }

    /// <summary>nginx's structure changed (a reload): what it can route may differ though its peer set did not; read it on the next apply.</summary>
    public void Recheck() => _confirmed = null;

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
