using System.Runtime.InteropServices;
using Discovery.Consul;
using Discovery.Consul.Locking;
using Discovery.Consul.Txn;
using Microsoft.Extensions.Logging;

namespace Discovery.Bench.Failover;

/// <summary>
/// One contender process of the failover benchmark: acquires the lock, then writes
/// "&lt;pid&gt; &lt;token&gt; &lt;unix ms&gt;" to the data key through a fenced write every 50 ms, and prints
/// "first-write &lt;token&gt; &lt;unix ms&gt;" after the first accepted write of each term. SIGTERM releases the lock.
/// </summary>
internal static class FailoverContender
{
    private static readonly TimeSpan WriteInterval = TimeSpan.FromMilliseconds(50);

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var consul = Option(args, "--consul");
        var key = Option(args, "--key");
        var dataKey = Option(args, "--data");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        using var logging = LoggerFactory.Create(builder => builder.AddSimpleConsole(console => console.TimestampFormat = "HH:mm:ss.fff ").SetMinimumLevel(LogLevel.Information));
        using var client = new ConsulClient(new ConsulClientOptions { Address = ConsulClientOptions.ParseAddress(consul) });
        await using var leaderLock = new ConsulLeaderLock(client, new LeaderLockOptions { Key = key, HolderDescription = $"pid {Environment.ProcessId}" },
            logging.CreateLogger<ConsulLeaderLock>());
        Console.WriteLine($"contending {Environment.ProcessId}");
        try
        {
            while (true)
            {
                var term = await leaderLock.AcquireAsync(stop.Token);
                var first = true;
                while (!term.Lost.IsCancellationRequested)
                {
                    var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                    try
                    {
                        var result = await term.FencedWriteAsync([TxnOperation.Set(dataKey, $"{Environment.ProcessId} {term.FencingToken} {now}")], stop.Token);
                        if (result.Committed && first)
                        {
                            Console.WriteLine($"first-write {term.FencingToken} {now}");
                            first = false;
                        }
                    }
                    catch (ConsulUnavailableException error)
                    {
                        Console.WriteLine($"write failed: {error.Message}");
                    }

                    await Task.Delay(WriteInterval, stop.Token);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 0; // disposing the lock releases the key
        }
    }

    private static string Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : throw new ArgumentException($"contender needs {name} <value>");
    }
}
