using System.Globalization;
using System.Text.RegularExpressions;
using Discovery.Testing.Processes;
using Discovery.Testing.Tools;

namespace Discovery.Testing.Load;

/// <summary>
/// Runs Debian's wrk (4.1) as a child process and parses its summary. wrk is the honest client: it
/// never retries, so a connection nginx closes under a request is counted as a read error (.NET's
/// HttpClient would silently retry it). wrk 4.1 has no rate option, so a rate is approximated with
/// a Lua <c>delay()</c> before each request on each connection.
/// </summary>
public static partial class Wrk
{
    /// <summary>
    /// Runs for <see cref="WrkOptions.Duration"/> (Debian's wrk ignores SIGINT until then, so a load of
    /// unknown length is a series of runs: <see cref="RunSeriesAsync"/>). Cancelling kills wrk.
    /// </summary>
    public static async Task<WrkResult> RunAsync(WrkOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var script = Path.Combine(Path.GetTempPath(), $"discovery-wrk-{Guid.NewGuid():N}.lua");
        var delayMs = options.RequestsPerSecond is { } rate and > 0 ? Math.Max(1, (int)Math.Round(options.Connections * 1000 / rate)) : 0;
        await File.WriteAllTextAsync(script, $"-- paced by Discovery.Testing.Load.Wrk\nfunction delay() return {delayMs} end\n", CancellationToken.None);
        var arguments = new List<string>
        {
            "-t", options.Threads.ToString(CultureInfo.InvariantCulture),
            "-c", options.Connections.ToString(CultureInfo.InvariantCulture),
            "-d", $"{Math.Max(1, (int)Math.Round(options.Duration.TotalSeconds))}s",
            "--timeout", $"{Math.Max(1, (int)Math.Round(options.RequestTimeout.TotalSeconds))}s",
            "--latency",
        };
        if (delayMs > 0)
        {
            arguments.AddRange(["-s", script]);
        }

        if (options.Host is not null)
        {
            arguments.AddRange(["-H", $"Host: {options.Host}"]);
        }

        arguments.Add(options.Url.ToString());
        try
        {
            await using var wrk = ChildProcess.Start(ToolPaths.Wrk, arguments);
            var exitCode = await wrk.WaitForExitAsync(options.Duration + TimeSpan.FromSeconds(30), cancellationToken);
            var output = wrk.StandardOutput + wrk.StandardError;
            return exitCode == 0 ? Parse(output) : throw new InvalidOperationException($"wrk exited with {exitCode}: {output}");
        }
        finally
        {
            File.Delete(script);
        }
    }

    /// <summary>
    /// Back-to-back runs of <paramref name="options"/> until <paramref name="stop"/> fires; the run in
    /// progress then finishes by itself, so no request is cut off. Counts are summed; latencies are
    /// the worst run's.
    /// </summary>
    public static async Task<WrkResult> RunSeriesAsync(WrkOptions options, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(options);
        WrkResult? total = null;
        var runs = 0;
        var elapsed = TimeSpan.Zero;
        do
        {
            var run = await RunAsync(options, CancellationToken.None);
            runs++;
            elapsed += options.Duration;
            total = total is null ? run : total with
            {
                Requests = total.Requests + run.Requests,
                ConnectErrors = total.ConnectErrors + run.ConnectErrors,
                ReadErrors = total.ReadErrors + run.ReadErrors,
                WriteErrors = total.WriteErrors + run.WriteErrors,
                Timeouts = total.Timeouts + run.Timeouts,
                Non2xx = total.Non2xx + run.Non2xx,
                P50 = run.P50 > total.P50 ? run.P50 : total.P50,
                P99 = run.P99 > total.P99 ? run.P99 : total.P99,
                Output = total.Output + run.Output,
            };
        }
        while (!stop.IsCancellationRequested);

        return total with { RequestsPerSecond = total.Requests / elapsed.TotalSeconds };
    }

    /// <summary>Parses wrk's summary (public for tests of the parser itself).</summary>
    public static WrkResult Parse(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var requests = RequestsLine().Match(output);
        if (!requests.Success)
        {
            throw new FormatException($"no request count in wrk's output: {output}");
        }

        var errors = SocketErrorsLine().Match(output);
        var non2xx = Non2xxLine().Match(output);
        var rate = RateLine().Match(output);
        return new WrkResult(
            long.Parse(requests.Groups["n"].Value, CultureInfo.InvariantCulture),
            errors.Success ? long.Parse(errors.Groups["connect"].Value, CultureInfo.InvariantCulture) : 0,
            errors.Success ? long.Parse(errors.Groups["read"].Value, CultureInfo.InvariantCulture) : 0,
            errors.Success ? long.Parse(errors.Groups["write"].Value, CultureInfo.InvariantCulture) : 0,
            errors.Success ? long.Parse(errors.Groups["timeout"].Value, CultureInfo.InvariantCulture) : 0,
            non2xx.Success ? long.Parse(non2xx.Groups["n"].Value, CultureInfo.InvariantCulture) : 0,
            rate.Success ? double.Parse(rate.Groups["n"].Value, CultureInfo.InvariantCulture) : 0,
            Percentile(output, "50"),
            Percentile(output, "99"),
            output);
    }

    private static TimeSpan Percentile(string output, string percent)
    {
        var match = Regex.Match(output, $@"^\s*{percent}%\s+(?<value>[0-9.]+)(?<unit>us|ms|s|m)\s*$", RegexOptions.Multiline, TimeSpan.FromSeconds(1));
        if (!match.Success)
        {
            return TimeSpan.Zero;
        }

        var value = double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
        return match.Groups["unit"].Value switch
        {
            "us" => TimeSpan.FromMicroseconds(value),
            "ms" => TimeSpan.FromMilliseconds(value),
            "s" => TimeSpan.FromSeconds(value),
            _ => TimeSpan.FromMinutes(value),
        };
    }

    [GeneratedRegex(@"^\s*(?<n>[0-9]+) requests in ", RegexOptions.Multiline)]
    private static partial Regex RequestsLine();

    [GeneratedRegex(@"Socket errors: connect (?<connect>[0-9]+), read (?<read>[0-9]+), write (?<write>[0-9]+), timeout (?<timeout>[0-9]+)")]
    private static partial Regex SocketErrorsLine();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (?<n>[0-9]+)")]
    private static partial Regex Non2xxLine();

    [GeneratedRegex(@"Requests/sec:\s+(?<n>[0-9.]+)")]
    private static partial Regex RateLine();
}
