using Discovery.Core.Scaling.Alerts;

namespace Discovery.Core.Tests.Scaling.Alerts;

public sealed class AlertEvaluatorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private static readonly AlertRule Rule = new("cpu", AlertSignal.InstanceCpu, "web", 80, TimeSpan.FromSeconds(30), new Uri("http://127.0.0.1:9099/"));

    /// <summary>(seconds after T0, value or null) → the status change expected at that step ("-" = none).</summary>
    [Theory]
    [InlineData("0:90 29:90 30:90", "- - firing")]                 // holds for `for` → fires once
    [InlineData("0:90 10:70 20:90 49:90 50:90", "- - - - firing")] // a dip restarts the count
    [InlineData("0:90 30:90 31:95 40:50 69:50 70:50", "- firing - - - resolved")] // resolves only after `for` below
    [InlineData("0:90 30:90 40:50 50:90 79:50 80:90", "- firing - - - -")]      // flapping below does not resolve
    [InlineData("0:90 30:90 40:null 100:null", "- firing - -")]   // unreadable changes nothing
    [InlineData("0:80 30:80", "- -")]                              // at the threshold is not above it
    public void Evaluate_Sequence_ChangesStatusOnlyAfterFor(string steps, string expected)
    {
        var state = AlertRuleState.Idle;
        var changes = new List<string>();
        foreach (var step in steps.Split(' '))
        {
            var parts = step.Split(':');
            double? value = parts[1] == "null" ? null : double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
            (state, var change) = AlertEvaluator.Evaluate(Rule, state, value, T0.AddSeconds(int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture)));
            changes.Add(change ?? "-");
        }

        Assert.Equal(expected, string.Join(' ', changes));
    }
}
