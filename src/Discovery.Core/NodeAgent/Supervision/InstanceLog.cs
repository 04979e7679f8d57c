using Discovery.Core.Processes;
using System.Text;

namespace Discovery.Core.NodeAgent.Supervision;

/// <summary>Reads and bounds a per-instance log file that the instance itself appends to.</summary>
public static class InstanceLog
{
    private const int TailBytes = 4096;

    /// <summary>The last non-empty line, or null when the file is missing or empty.</summary>
    public static string? ReadLastLine(string path)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var length = (int)Math.Min(file.Length, TailBytes);
            file.Seek(-length, SeekOrigin.End);
            var buffer = new byte[length];
            file.ReadExactly(buffer);
            return Encoding.UTF8.GetString(buffer)
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .LastOrDefault();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// When the log is larger than <paramref name="maxBytes"/>, keeps its newest half (from a line
    /// start) in place. Copy-truncate is safe here because the instance writes with O_APPEND: after
    /// the truncation its next write lands at the new end, not at its old offset. Lines written
    /// during the few microseconds of the copy can be lost, which is acceptable for a bounded log.
    /// </summary>
    /// <returns>True when the file was trimmed.</returns>
    public static bool TrimIfLarger(string path, long maxBytes)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            if (file.Length <= maxBytes)
            {
                return false;
            }

            var keep = (int)Math.Min(maxBytes / 2, int.MaxValue);
            file.Seek(-keep, SeekOrigin.End);
            var buffer = new byte[keep];
            file.ReadExactly(buffer);
            var firstLine = Array.IndexOf(buffer, (byte)'\n') + 1;
            file.SetLength(0);
            file.Write(buffer, firstLine, buffer.Length - firstLine);
            return true;
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Appends one line written by the agent itself (e.g. why a start failed).</summary>
    public static void AppendAgentLine(string path, string message)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        PrivateFiles.EnsureLog(path);
        File.AppendAllText(path, $"[discovery-agent] {message}\n");
    }
}
