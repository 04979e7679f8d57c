using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Discovery.Testing.Processes;

/// <summary>
/// A real child process for a test: started with its output captured line by line, waited on
/// with bounded waits, and killed by its own pid (with its descendants) on dispose, even when
/// the test failed. Never touches any process it did not start. (One-shot commands that only need
/// their exit code and output use CliWrap instead; this is for processes a test watches while they run.)
/// </summary>
public sealed class ChildProcess : IAsyncDisposable, IDisposable
{
    /// <summary>Lines kept per process; a chatty process must not grow a test's memory without bound.</summary>
    public const int MaxCapturedLines = 20_000;

    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly object _gate = new();
    private readonly List<string> _lines = [];
    private readonly StringBuilder _standardOutput = new();
    private readonly StringBuilder _standardError = new();
    private TaskCompletionSource _outputChanged = NewSignal();
    private int _openStreams = 2;
    private bool _disposed;

    private ChildProcess(Process process, string commandLine)
    {
        _process = process;
        CommandLine = commandLine;
    }

    /// <summary>The command as started, for failure messages.</summary>
    public string CommandLine { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The exit code once the process has exited; null while it runs.</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>Everything written to stdout so far.</summary>
    public string StandardOutput
    {
        get
        {
            lock (_gate)
            {
                return _standardOutput.ToString();
            }
        }
    }

    /// <summary>Everything written to stderr so far.</summary>
    public string StandardError
    {
        get
        {
            lock (_gate)
            {
                return _standardError.ToString();
            }
        }
    }

    /// <summary>Starts <paramref name="fileName"/> with its stdout and stderr captured (stdin is closed).</summary>
    /// <param name="environment">Variables to set (a null value removes the variable) on top of this process's environment.</param>
    public static ChildProcess Start(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? workingDirectory = null)
    {
        // Through `env --default-signal=INT`: a test run started in the background by a
        // non-interactive shell inherits SIGINT as ignored, an ignored signal stays ignored across
        // exec, and .NET then never sees Ctrl+C — tests that send SIGINT failed only in such runs.
        // env execs the program itself, so the pid is still the program's.
        var startInfo = new ProcessStartInfo("/usr/bin/env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        startInfo.ArgumentList.Add("--default-signal=INT");
        startInfo.ArgumentList.Add(fileName);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var child = new ChildProcess(process, string.Join(' ', [fileName, .. startInfo.ArgumentList.Skip(2)]));
        process.OutputDataReceived += (_, line) => child.OnLine(line.Data, child._standardOutput);
        process.ErrorDataReceived += (_, line) => child.OnLine(line.Data, child._standardError);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Starts a framework-dependent .NET app (<c>dotnet app.dll …</c>) with the same dotnet host that runs the tests.</summary>
    public static ChildProcess StartDotnetApp(
        string assemblyPath,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? workingDirectory = null) =>
        Start(DotnetHostPath(), [assemblyPath, .. arguments], environment, workingDirectory);

    /// <summary>Waits until a line on stdout or stderr matches, and returns it.</summary>
    /// <exception cref="TimeoutException">No such line within <paramref name="timeout"/>, or the process closed its output first.</exception>
    public async Task<string> WaitForLineAsync(Func<string, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var checkedLines = 0;
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                for (; checkedLines < _lines.Count; checkedLines++)
                {
                    if (predicate(_lines[checkedLines]))
                    {
                        return _lines[checkedLines];
                    }
                }

                if (_openStreams == 0)
                {
                    throw new TimeoutException($"output ended without the expected line. {Describe()}");
                }

                changed = _outputChanged.Task;
            }

            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"no matching line within {timeout.TotalSeconds}s. {Describe()}");
            }
        }
    }

    /// <summary>Waits until something accepts TCP connections on <paramref name="endPoint"/>.</summary>
    /// <exception cref="TimeoutException">Nothing listened within <paramref name="timeout"/>, or the process exited.</exception>
    public async Task WaitForTcpPortAsync(IPEndPoint endPoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            if (HasExited)
            {
                throw new TimeoutException($"process exited before {endPoint} accepted connections. {Describe()}");
            }

            try
            {
                using var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(endPoint, deadline.Token);
                return;
            }
            catch (SocketException)
            {
                // Not listening yet: try again shortly.
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{endPoint} did not accept connections within {timeout.TotalSeconds}s. {Describe()}");
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{endPoint} did not accept connections within {timeout.TotalSeconds}s. {Describe()}");
            }
        }
    }

    /// <summary>Waits for the process to exit and for its output to be fully read; returns the exit code.</summary>
    /// <exception cref="TimeoutException">Still running after <paramref name="timeout"/> (it is left running; dispose kills it).</exception>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            // Process.WaitForExitAsync also waits for the redirected streams to reach end of file.
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"still running after {timeout.TotalSeconds}s. {Describe()}");
        }

        return _process.ExitCode;
    }

    /// <summary>Kills the process and its descendants (by this process's pid) if it is still running.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill: nothing left to do.
        }
    }

    /// <summary>Command, pid, exit state and captured output, for assertion and timeout messages.</summary>
    public string Describe()
    {
        var state = _process.HasExited ? $"exited with {_process.ExitCode}" : "running";
        return $"[{CommandLine}] pid {Pid} {state}\n--- stdout ---\n{StandardOutput}--- stderr ---\n{StandardError}";
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Kill();
        _process.WaitForExit(KillWait);
        _process.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Kill();
        using (var wait = new CancellationTokenSource(KillWait))
        {
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                // A process that ignores SIGKILL for 10 s is beyond a test's reach; don't hang the run.
            }
        }

        _process.Dispose();
    }

    private void OnLine(string? line, StringBuilder stream)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            if (line is null)
            {
                _openStreams--;
            }
            else if (_lines.Count < MaxCapturedLines)
            {
                _lines.Add(line);
                stream.AppendLine(line);
            }

            changed = _outputChanged;
            _outputChanged = NewSignal();
        }

        changed.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static string DotnetHostPath()
    {
        // `dotnet test` tells child tools which host runs it; fall back to this process's host, then PATH.
        var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk))
        {
            return fromSdk;
        }

        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }
}
