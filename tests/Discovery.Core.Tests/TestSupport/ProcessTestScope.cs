using Discovery.Core.Processes;
using Discovery.Testing;

namespace Discovery.Core.Tests.TestSupport;

/// <summary>
/// A temp folder plus every process group a test started. Dispose kills exactly those groups (by
/// pgid, only while their leader is still the process we started or gone) and deletes the folder,
/// also when the test failed.
/// </summary>
internal sealed class ProcessTestScope : IDisposable
{
    private readonly List<ProcessIdentity> _started = [];

    public ProcessTestScope()
    {
        Directory = Path.Combine(Path.GetTempPath(), $"discovery-test-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string PathOf(string name) => Path.Combine(Directory, name);

    /// <summary>True once the file exists and contains the text (a child may not have created it yet).</summary>
    public bool FileContains(string name, string text) => File.Exists(PathOf(name)) && File.ReadAllText(PathOf(name)).Contains(text, StringComparison.Ordinal);

    public void Track(ProcessIdentity identity)
    {
        lock (_started)
        {
            _started.Add(identity);
        }
    }

    public IProcessHandle Track(IProcessHandle handle)
    {
        Track(handle.Identity);
        return handle;
    }

    /// <summary>Polls a condition (real processes take real time); fails the test after <paramref name="timeout"/>.</summary>
    public static Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what) =>
        Eventually.UntilAsync(condition, timeout, what, TimeSpan.FromMilliseconds(20));

    public void Dispose()
    {
        lock (_started)
        {
            foreach (var identity in _started)
            {
                var current = ProcessIdentity.TryRead(identity.Pid, includeZombies: true);
                if (current is null || current.Value.StartTime == identity.StartTime)
                {
                    ProcessGroup.Signal(identity.Pid, UnixSignal.Kill);
                }
            }
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A straggler may still hold a log open for a moment; temp folders are cleaned by the OS.
        }
    }
}
