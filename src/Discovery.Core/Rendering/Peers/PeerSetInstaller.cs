using System.Text;
using Discovery.Core.Rendering.Install;

namespace Discovery.Core.Rendering.Peers;

/// <summary>
/// Hands nginx a peer set without a reload: validate, push to the running nginx, read back what it
/// now routes by and save exactly that as the file nginx loads at start (nginx.conf:
/// <c>peers/peers.txt</c>), so a restarted nginx routes by the last set it accepted. With nginx
/// stopped, the set is only saved, for its next start. A refused push changes neither nginx nor
/// the file.
/// </summary>
internal sealed class PeerSetInstaller
{
    private readonly PeerEndpointClient _endpoint;
    private readonly NginxController _nginx;
    private readonly string _savedFile;

    public PeerSetInstaller(PeerEndpointClient endpoint, NginxController nginx, string savedFile)
    {
        _endpoint = endpoint;
        _nginx = nginx;
        _savedFile = Path.GetFullPath(savedFile);
    }

    public string SavedFile => _savedFile;

    public PeerEndpointClient Endpoint => _endpoint;

    public async Task<PeerInstallOutcome> InstallAsync(string text, CancellationToken cancellationToken)
    {
        var set = PeerSetText.Parse(text, out var refusal);
        if (set is null)
        {
            return PeerInstallOutcome.Failure($"peer set refused before sending: {refusal}");
        }

        if (!_nginx.IsRunning())
        {
            var saveError = await SaveAsync(PeerSetText.Format(set.Peers), cancellationToken).ConfigureAwait(false);
            return saveError is null
                ? new PeerInstallOutcome(PeerInstallResult.Saved, set.InstanceIds(), set.Problems)
                : PeerInstallOutcome.Failure(saveError);
        }

        try
        {
            var pushed = await _endpoint.PushAsync(text, cancellationToken).ConfigureAwait(false);
            var view = await _endpoint.ReadAsync(cancellationToken).ConfigureAwait(false);
            var error = await SaveAsync(view.Text, cancellationToken).ConfigureAwait(false);
            return new PeerInstallOutcome(PeerInstallResult.Pushed, view.Set.InstanceIds(), pushed.Problems, error);
        }
        catch (PeerEndpointException error)
        {
            return PeerInstallOutcome.Failure(error.Message, error.Unreachable);
        }
    }

    /// <summary>nginx's current view; null when nginx is not running.</summary>
    /// <exception cref="PeerEndpointException">nginx runs but its endpoint failed.</exception>
    public async Task<PeerEndpointView?> ReadAsync(CancellationToken cancellationToken) =>
        _nginx.IsRunning() ? await _endpoint.ReadAsync(cancellationToken).ConfigureAwait(false) : null;

    /// <summary>Writes next to the target and renames over it: nginx never reads half a file. Null on success.</summary>
    private async Task<string?> SaveAsync(string content, CancellationToken cancellationToken)
    {
        var temporary = Path.Combine(Path.GetDirectoryName(_savedFile)!, $".{Path.GetFileName(_savedFile)}.{Environment.ProcessId}.tmp");
        try
        {
            await File.WriteAllTextAsync(temporary, content, new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
            File.Move(temporary, _savedFile, overwrite: true);
            return null;
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

            return $"cannot save the peer set to {_savedFile}: {error.Message}";
        }
    }
}
