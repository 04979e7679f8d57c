using Discovery.Core.Configuration;

namespace Discovery.Core.Scaling.Alerts;

/// <summary>Binds the scaler config's <c>alerts:</c> list; every problem is reported with its path.</summary>
internal static class AlertRulesBinder
{
    public static IReadOnlyList<AlertRule> Bind(IReadOnlyList<(ConfigNode Node, string Path)> items, List<ConfigError> errors)
    {
        var rules = new List<AlertRule>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (item, path) in items)
        {
            if (item.Kind != ConfigNodeKind.Map)
            {
                errors.Add(new ConfigError(path, $"expected a map, got {item.Describe()}"));
                continue;
            }

            var map = new ConfigMapReader(item, path, errors);
            var name = map.RequiredString("name");
            if (name.Length > 0 && !names.TryAdd(name, path))
            {
                map.AddError("name", $"duplicate of {names[name]}.name \"{name}\"");
            }

            var signalText = map.RequiredString("signal");
            var signal = Parse(signalText);
            if (signal is null && signalText.Length > 0)
            {
                map.AddError("signal", $"\"{signalText}\" is not one of {string.Join(", ", Enum.GetValues<AlertSignal>().Select(Text))}");
            }

            var app = map.OptionalString("app");
            if (app is null && signal is not null and not AlertSignal.RendererFailing)
            {
                map.AddError("app", $"required for signal {signalText}");
            }

            var yesNo = signal is AlertSignal.NoLeader or AlertSignal.RendererFailing;
            var above = yesNo ? map.Number("above", 0) : map.Number("above", double.NaN);
            if (!yesNo && double.IsNaN(above))
            {
                map.AddError("above", "required: the threshold the signal must exceed");
            }

            var forDuration = map.Duration("for", TimeSpan.FromSeconds(30), mustBePositive: false);
            var webhookText = map.RequiredString("webhook");
            Uri? webhook = null;
            if (webhookText.Length > 0 && (!Uri.TryCreate(webhookText, UriKind.Absolute, out webhook) || webhook.Scheme is not ("http" or "https")))
            {
                map.AddError("webhook", $"\"{webhookText}\" is not an http:// or https:// URL");
            }

            map.ReportUnknownKeys();
            if (signal is { } known && webhook is not null && name.Length > 0)
            {
                rules.Add(new AlertRule(name, known, app, above, forDuration, webhook));
            }
        }

        return rules;
    }

    /// <summary>The config spelling of a signal: instance-cpu, instance-rss, request-rate, crash-loops, no-leader, renderer-failing.</summary>
    public static string Text(AlertSignal signal) => signal switch
    {
        AlertSignal.InstanceCpu => "instance-cpu",
        AlertSignal.InstanceRss => "instance-rss",
        AlertSignal.RequestRate => "request-rate",
        AlertSignal.CrashLoops => "crash-loops",
        AlertSignal.NoLeader => "no-leader",
        _ => "renderer-failing",
    };

    private static AlertSignal? Parse(string text) =>
        Enum.GetValues<AlertSignal>().Cast<AlertSignal?>().FirstOrDefault(signal => Text(signal!.Value) == text);
}
