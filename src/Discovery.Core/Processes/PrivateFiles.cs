namespace Discovery.Core.Processes;

/// <summary>
/// Files the agent writes for itself are not for other users of the machine (issue 12): state files
/// are 0600, logs 0640 (the group may read them, e.g. an operator's log shipper), whatever the umask.
/// (Modes are a Unix notion; elsewhere the files get the platform's defaults.)
/// </summary>
public static class PrivateFiles
{
    public const UnixFileMode StateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public const UnixFileMode LogMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;

    /// <summary>A new file (replacing any) open for writing, created 0600.</summary>
    public static FileStream CreateState(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = StateMode;
        }

        return new FileStream(path, options);
    }

    /// <summary>
    /// Makes sure the log exists with mode 0640 before anything appends to it (a shell's <c>&gt;&gt;</c>
    /// or File.AppendAllText would create it 0644 under the usual umask); an existing log is narrowed to 0640.
    /// </summary>
    public static void EnsureLog(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.ReadWrite | FileShare.Delete };
        if (OperatingSystem.IsWindows())
        {
            using (new FileStream(path, options))
            {
            }

            return;
        }

        options.UnixCreateMode = LogMode;
        using (new FileStream(path, options))
        {
        }

        File.SetUnixFileMode(path, LogMode);
    }
}
