using System.Globalization;
using System.Runtime.InteropServices;

namespace Discovery.Core.Postgres.Control;

/// <summary>
/// The unprivileged user postgres runs as (it refuses root): its ids from /etc/passwd, and chown of
/// the files the agent (root) prepares for it. /etc/passwd rather than NSS: the users Debian's
/// postgresql package creates are local, and this keeps the agent free of native struct layouts.
/// </summary>
internal sealed partial record OsUser(string Name, uint Uid, uint Gid)
{
    public static OsUser? Find(string name, string passwdFile = "/etc/passwd")
    {
        try
        {
            foreach (var line in File.ReadLines(passwdFile))
            {
                var fields = line.Split(':');
                if (fields.Length >= 4 && fields[0] == name
                    && uint.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var uid)
                    && uint.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var gid))
                {
                    return new OsUser(name, uid, gid);
                }
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return null;
    }

    /// <summary>Makes this user the owner of <paramref name="path"/> (not recursive).</summary>
    public void Own(string path)
    {
        if (Chown(path, Uid, Gid) != 0)
        {
            throw new IOException($"chown {Name} {path} failed (errno {Marshal.GetLastPInvokeError()})");
        }
    }

    [LibraryImport("libc", EntryPoint = "chown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Chown(string path, uint uid, uint gid);
}
