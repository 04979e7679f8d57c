using System.Text;

namespace Discovery.Core.Rendering.Install;

/// <summary>
/// Installs rendered output only if nginx accepts its WHOLE configuration with it: write a
/// candidate next to the target, run <c>nginx -t</c> on a copy of the main config whose includes
/// resolve to the candidate, atomically rename over the target, reload. Any failure leaves the
/// last good file in place (consul-template writes first and validates later; we do not).
/// </summary>
internal sealed class SafeConfigInstaller
{
    private readonly NginxController _nginx;
    private readonly string _target;

    public SafeConfigInstaller(NginxController nginx, string target)
    {
        _nginx = nginx;
        _target = Path.GetFullPath(target);
    }

    public string Target => _target;

    /// <summary>True when the installed file already holds exactly <paramref name="content"/>.</summary>
    public bool IsInstalled(string content)
    {
        try
        {
            return File.ReadAllBytes(_target).AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(content));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public async Task<InstallOutcome> InstallAsync(string content, CancellationToken cancellationToken)
    {
        if (IsInstalled(content))
        {
            return new InstallOutcome(InstallResult.Unchanged);
        }

        var candidate = Path.Combine(Path.GetDirectoryName(_target)!, $".{Path.GetFileName(_target)}.candidate-{Environment.ProcessId}");
        byte[]? previous = File.Exists(_target) ? await File.ReadAllBytesAsync(_target, cancellationToken).ConfigureAwait(false) : null;
        try
        {
            await File.WriteAllTextAsync(candidate, content, new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
            var validation = await ValidateAsync(candidate, cancellationToken).ConfigureAwait(false);
            if (!validation.Succeeded)
            {
                return new InstallOutcome(InstallResult.Failed, $"nginx rejected the rendered config ({validation.Describe()})");
            }

            // Same folder, so a rename: nginx (and anyone reading) sees the old or the new file, never half.
            File.Move(candidate, _target, overwrite: true);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return new InstallOutcome(InstallResult.Failed, $"cannot install {_target}: {error.Message}");
        }
        finally
        {
            TryDelete(candidate);
        }

        if (!_nginx.IsRunning())
        {
            return new InstallOutcome(InstallResult.Installed);
        }

        var reload = await _nginx.ReloadAsync(cancellationToken).ConfigureAwait(false);
        if (reload.Succeeded)
        {
            return new InstallOutcome(InstallResult.InstalledAndReloaded);
        }

        // The running nginx still has the old config: put the old file back so file and nginx agree,
        // and the next render (which then differs from the file) tries again.
        await RestoreAsync(previous, cancellationToken).ConfigureAwait(false);
        return new InstallOutcome(InstallResult.Failed, $"nginx reload failed ({reload.Describe()}); restored the previous file");
    }

    private async Task<CommandResult> ValidateAsync(string candidate, CancellationToken cancellationToken)
    {
        var mainConfig = Path.GetFullPath(_nginx.Config.Config);
        var configFolder = Path.GetDirectoryName(mainConfig)!;
        var check = Directory.CreateTempSubdirectory("discovery-nginx-check-");
        try
        {
            // Relative includes resolve against the folder of the -c file: mirror the real folder with
            // symlinks, except that the target's name points at the candidate.
            foreach (var entry in Directory.EnumerateFileSystemEntries(configFolder))
            {
                var name = Path.GetFileName(entry);
                if (string.Equals(entry, mainConfig, StringComparison.Ordinal) || name.StartsWith('.'))
                {
                    continue;
                }

                var pointsAt = string.Equals(entry, _target, StringComparison.Ordinal) ? candidate : entry;
                File.CreateSymbolicLink(Path.Combine(check.FullName, name), pointsAt);
            }

            if (string.Equals(Path.GetDirectoryName(_target), configFolder, StringComparison.Ordinal) && !File.Exists(_target))
            {
                File.CreateSymbolicLink(Path.Combine(check.FullName, Path.GetFileName(_target)), candidate);
            }

            // An include by absolute path names the target itself: point it at the candidate.
            var text = await File.ReadAllTextAsync(mainConfig, cancellationToken).ConfigureAwait(false);
            var checkConfig = Path.Combine(check.FullName, Path.GetFileName(mainConfig));
            await File.WriteAllTextAsync(checkConfig, text.Replace(_target, candidate, StringComparison.Ordinal), cancellationToken).ConfigureAwait(false);
            return await _nginx.TestAsync(checkConfig, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            try
            {
                check.Delete(recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private async Task RestoreAsync(byte[]? previous, CancellationToken cancellationToken)
    {
        if (previous is null)
        {
            TryDelete(_target);
            return;
        }

        var restore = _target + $".restore-{Environment.ProcessId}";
        await File.WriteAllBytesAsync(restore, previous, cancellationToken).ConfigureAwait(false);
        File.Move(restore, _target, overwrite: true);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
        }
    }
}
