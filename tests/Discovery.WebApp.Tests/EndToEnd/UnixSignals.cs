using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Discovery.WebApp.Tests.EndToEnd;

/// <summary>Sends POSIX signals to a process the test started (by its pid), as a supervisor would.</summary>
internal static partial class UnixSignals
{
    // Linux signal numbers (signal(7)); the tests only run where nginx and Consul do.
    private const int SigInt = 2;
    private const int SigTerm = 15;

    public static void Terminate(int pid) => Send(pid, SigTerm);

    public static void Interrupt(int pid) => Send(pid, SigInt);

    private static void Send(int pid, int signal)
    {
        if (kill(pid, signal) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), $"kill({pid}, {signal}) failed");
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);
}
