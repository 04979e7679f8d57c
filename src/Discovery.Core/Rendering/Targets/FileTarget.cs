using System.Text;
using Discovery.Core.Rendering.Commands;

namespace Discovery.Core.Rendering.Targets;

/// <summary>
/// A template's destination file: skip identical content, write a candidate next to the file
/// (same folder, so the swap is a rename and readers see the old or the new file, never half),
/// run the check against the candidate, rename it over the destination. Any failure leaves the
/// previous file in place.
/// </summary>
internal sealed class FileTarget : IRenderTarget
{
    /// <summary>consul-template's mode for a new file when the config names none.</summary>
    public const UnixFileMode DefaultMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private readonly UnixFileMode? _mode;
    private readonly ITemplateCheck? _check;
    private readonly bool _createFolder;

    public FileTarget(string destination, UnixFileMode? mode, ITemplateCheck? check, IReadOnlyList<IRenderCommand> commands, bool createFolder)
    {
        Name = Path.GetFullPath(destination);
        _mode = mode;
        _check = check;
        Commands = commands;
        _createFolder = createFolder;
    }

    public string Name { get; }

    public IReadOnlyList<IRenderCommand> Commands { get; }

    public async Task<TargetChange> ApplyAsync(string content, CancellationToken cancellationToken)
    {
        var bytes = new UTF8Encoding(false).GetBytes(content);
        var previous = Read(Name);
        if (previous is not null && previous.AsSpan().SequenceEqual(bytes))
        {
            return TargetChange.Unchanged;
        }

        var folder = Path.GetDirectoryName(Name)!;
        var candidate = Path.Combine(folder, $".{Path.GetFileName(Name)}.candidate-{Environment.ProcessId}");
        try
        {
            if (_createFolder)
            {
                Directory.CreateDirectory(folder);
            }

            await File.WriteAllBytesAsync(candidate, bytes, cancellationToken).ConfigureAwait(false);
            if (!OperatingSystem.IsWindows())
            {
                // Set after creation: the umask would narrow a create mode.
                File.SetUnixFileMode(candidate, _mode ?? (previous is null ? DefaultMode : File.GetUnixFileMode(Name)));
            }

            if (_check is not null)
            {
                var verdict = await _check.CheckAsync(candidate, Name, cancellationToken).ConfigureAwait(false);
                if (!verdict.Succeeded)
                {
                    return TargetChange.Failed($"check {_check.Description} rejected the rendered {Name} ({verdict.Describe()})");
                }
            }

            File.Move(candidate, Name, overwrite: true);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return TargetChange.Failed($"cannot write {Name}: {error.Message}");
        }
        finally
        {
            TryDelete(candidate);
        }

        return new TargetChange(TargetChangeKind.Changed, Undo: ct => RestoreAsync(previous, ct));
    }

    /// <summary>Puts the previous content back (or removes a file that did not exist), with the same atomic rename.</summary>
    private async Task RestoreAsync(byte[]? previous, CancellationToken cancellationToken)
    {
        if (previous is null)
        {
            TryDelete(Name);
            return;
        }

        var restore = Name + $".restore-{Environment.ProcessId}";
        await File.WriteAllBytesAsync(restore, previous, cancellationToken).ConfigureAwait(false);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(restore, File.GetUnixFileMode(Name));
        }

        File.Move(restore, Name, overwrite: true);
    }

    private static byte[]? Read(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null;
        }
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
