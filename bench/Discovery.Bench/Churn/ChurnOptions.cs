using System.Globalization;

namespace Discovery.Bench.Churn;

/// <summary><c>churn</c>'s options: seconds per phase, wrk's target rate and connections, whether to run the reload-per-change reference.</summary>
internal sealed record ChurnOptions(int Seconds, int Rate, int Connections, bool Reference)
{
    public static ChurnOptions Parse(string[] args)
    {
        var options = new ChurnOptions(60, 550, 8, true);
        for (var i = 0; i < args.Length; i++)
        {
            options = args[i] switch
            {
                "--seconds" => options with { Seconds = int.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--rate" => options with { Rate = int.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--connections" => options with { Connections = int.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--no-reference" => options with { Reference = false },
                _ => throw new ArgumentException($"unknown option {args[i]} (--seconds N --rate N --connections N --no-reference)"),
            };
        }

        return options;
    }
}
