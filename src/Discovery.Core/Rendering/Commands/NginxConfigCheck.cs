using Discovery.Core.Rendering.Configuration;

namespace Discovery.Core.Rendering.Commands;

/// <summary>
/// The nginx target's check: <c>nginx -t</c> of the WHOLE configuration as it would be with the
/// candidate in place, without touching the real files. A private folder mirrors the main
/// config's folder with symlinks, except that the destination's name points at the candidate,
/// and a copy of the main config has absolute includes of the destination rewritten.
/// (consul-template writes first and validates later; this validates first.)
/// </summary>
internal sealed record NginxConfigCheck(NginxControlConfig Nginx) : ITemplateCheck
{
    public string Description => $"nginx -t ({Nginx.Config})";

    public async Task<CommandResult> CheckAsync(string candidate, string destination, CancellationToken cancellationToken)
    {
        var mainConfig = Path.GetFullPath(Nginx.Config);
        var configFolder = Path.GetDirectoryName(mainConfig)!;
        var check = Directory.CreateTempSubdirectory("discovery-nginx-check-");
        try
        {
            // Relative includes resolve against the folder of the -c file.
            foreach (var entry in Directory.EnumerateFileSystemEntries(configFolder))
            {
                var name = Path.GetFileName(entry);
                if (string.Equals(entry, mainConfig, StringComparison.Ordinal) || name.StartsWith('.'))
                {
                    continue;
                }

                var pointsAt = string.Equals(entry, destination, StringComparison.Ordinal) ? candidate : entry;
                File.CreateSymbolicLink(Path.Combine(check.FullName, name), pointsAt);
            }

            if (string.Equals(Path.GetDirectoryName(destination), configFolder, StringComparison.Ordinal) && !File.Exists(destination))
            {
                File.CreateSymbolicLink(Path.Combine(check.FullName, Path.GetFileName(destination)), candidate);
            }

            // An include by absolute path names the destination itself: point it at the candidate.
            var text = await File.ReadAllTextAsync(mainConfig, cancellationToken).ConfigureAwait(false);
            var checkConfig = Path.Combine(check.FullName, Path.GetFileName(mainConfig));
            await File.WriteAllTextAsync(checkConfig, text.Replace(destination, candidate, StringComparison.Ordinal), cancellationToken).ConfigureAwait(false);
            return await new NginxController(Nginx).TestAsync(checkConfig, cancellationToken).ConfigureAwait(false);
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
}
