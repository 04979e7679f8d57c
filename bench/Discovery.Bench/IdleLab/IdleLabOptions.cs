using System.Globalization;

namespace Discovery.Bench.IdleLab;

/// <summary>idle-lab's command line: --seconds, --settle, --sample, --agent.</summary>
internal sealed record IdleLabOptions(TimeSpan Duration, TimeSpan Settle, TimeSpan SampleEvery, string? Agent, string? Error)
{
    public static IdleLabOptions Parse(IReadOnlyList<string> args)
    {
        var options = new IdleLabOptions(TimeSpan.FromSeconds(300), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10), null, null);
        for (var i = 0; i < args.Count; i += 2)
        {
            if (i + 1 >= args.Count)
            {
                return options with { Error = $"{args[i]} needs a value" };
            }

            var value = args[i + 1];
            var seconds = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && parsed >= 0 ? TimeSpan.FromSeconds(parsed) : (TimeSpan?)null;
            options = args[i] switch
            {
                "--seconds" when seconds > TimeSpan.Zero => options with { Duration = seconds.Value },
                "--settle" when seconds is not null => options with { Settle = seconds.Value },
                "--sample" when seconds > TimeSpan.Zero => options with { SampleEvery = seconds.Value },
                "--agent" => options with { Agent = value },
                _ => options with { Error = $"unknown option or bad value: {args[i]} {value} (use --seconds N, --settle N, --sample N, --agent PATH)" },
            };
            if (options.Error is not null)
            {
                return options;
            }
        }

        return options;
    }
}
