using System.Runtime.InteropServices;

namespace Discovery.Core.Processes;

internal static partial class NativeMethods
{
    /// <summary>kill(2): a negative pid addresses the whole process group.</summary>
    [LibraryImport("libc", SetLastError = true)]
    internal static partial int kill(int pid, int signal);
}
