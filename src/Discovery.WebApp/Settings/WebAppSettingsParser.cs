using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Discovery.WebApp.Settings;

/// <summary>
/// Turns command-line arguments and environment variables into <see cref="WebAppSettings"/>.
/// Pure: the environment and the default node name come in as parameters so tables can test it.
/// </summary>
internal static partial class WebAppSettingsParser
{
    private const int MaxStartupDelayMilliseconds = 600_000;
    private const double MaxDrainTimeoutSeconds = 3600;

    public static SettingsParseResult Parse(IReadOnlyList<string> args, Func<string, string?> readEnvironment, string defaultNode)
    {
        // Help anywhere wins: someone asking for usage should not first have to fix their arguments.
        if (args.Any(argument => argument is "--help" or "-h" or "-?"))
        {
            return SettingsParseResult.Help();
        }

        var errors = new List<string>();
        var values = ReadEnvironment(readEnvironment);
        ReadArguments(args, values, errors);

        var app = ReadName(values, KnownOptions.App, "web", errors);
        var version = ReadText(values, KnownOptions.Version, "1.0.0", errors);
        var node = ReadName(values, KnownOptions.Node, defaultNode, errors);
        var address = ReadAddress(values, errors);
        var port = ReadPort(values, errors);
        var drainTimeout = ReadDrainTimeout(values, errors);
        var startupDelay = ReadStartupDelay(values, errors);
        var failure = FailureMode.None;
        if (values.TryGetValue(KnownOptions.Failure, out var failureText))
        {
            failure = FailureMode.Parse(failureText.Value) ?? FailureMode.None;
            if (FailureMode.Parse(failureText.Value) is null)
            {
                errors.Add($"{failureText.Source} '{failureText.Value}' must be none, health or errors:<percent 0-100>");
            }
        }

        var instance = values.ContainsKey(KnownOptions.Instance)
            ? ReadName(values, KnownOptions.Instance, "", errors)
            : $"{app}-{node}-{port}";

        return errors.Count > 0
            ? SettingsParseResult.Invalid(errors)
            : SettingsParseResult.Valid(new WebAppSettings(app, version, node, instance, address!, port, drainTimeout, startupDelay) { Failure = failure });
    }

    private static Dictionary<WebAppOption, SuppliedValue> ReadEnvironment(Func<string, string?> readEnvironment)
    {
        var values = new Dictionary<WebAppOption, SuppliedValue>();
        foreach (var option in KnownOptions.All)
        {
            var value = readEnvironment(option.EnvironmentVariable);
            if (value is not null)
            {
                values[option] = new SuppliedValue(value, option.EnvironmentVariable, FromCommandLine: false);
            }
        }

        return values;
    }

    private static void ReadArguments(IReadOnlyList<string> args, Dictionary<WebAppOption, SuppliedValue> values, List<string> errors)
    {
        for (var index = 0; index < args.Count; index++)
        {
            var argument = args[index];
            if (!argument.StartsWith("--", StringComparison.Ordinal) || argument.Length == 2)
            {
                errors.Add($"unexpected argument '{argument}'");
                continue;
            }

            var separator = argument.IndexOf('=', StringComparison.Ordinal);
            var name = separator < 0 ? argument[2..] : argument[2..separator];
            var option = KnownOptions.All.FirstOrDefault(known => known.Name == name);
            if (option is null)
            {
                errors.Add($"unknown option '--{name}'");
                if (separator < 0 && index + 1 < args.Count && !args[index + 1].StartsWith('-'))
                {
                    index++; // skip its value too, so it is not reported a second time
                }

                continue;
            }

            string value;
            if (separator >= 0)
            {
                value = argument[(separator + 1)..];
            }
            else if (index + 1 < args.Count && !args[index + 1].StartsWith("--", StringComparison.Ordinal))
            {
                value = args[++index];
            }
            else
            {
                errors.Add($"{option.Flag} needs a value {option.ValueHint}");
                continue;
            }

            if (values.TryGetValue(option, out var earlier) && earlier.FromCommandLine)
            {
                errors.Add($"{option.Flag} is given more than once");
                continue;
            }

            values[option] = new SuppliedValue(value, option.Flag, FromCommandLine: true);
        }
    }

    private static string ReadText(Dictionary<WebAppOption, SuppliedValue> values, WebAppOption option, string fallback, List<string> errors)
    {
        if (!values.TryGetValue(option, out var supplied))
        {
            return fallback;
        }

        if (string.IsNullOrWhiteSpace(supplied.Value))
        {
            errors.Add($"{supplied.Source} must not be empty");
        }

        return supplied.Value;
    }

    private static string ReadName(Dictionary<WebAppOption, SuppliedValue> values, WebAppOption option, string fallback, List<string> errors)
    {
        var name = ReadText(values, option, fallback, errors);
        if (values.TryGetValue(option, out var supplied) && name.Length > 0 && !NamePattern().IsMatch(name))
        {
            errors.Add($"{supplied.Source} '{name}' may only hold letters, digits, '-', '_' and '.'");
        }

        return name;
    }

    private static IPAddress? ReadAddress(Dictionary<WebAppOption, SuppliedValue> values, List<string> errors)
    {
        if (!values.TryGetValue(KnownOptions.Address, out var supplied))
        {
            return IPAddress.Loopback;
        }

        if (IPAddress.TryParse(supplied.Value, out var address))
        {
            return address;
        }

        errors.Add($"{supplied.Source} '{supplied.Value}' is not an IP address");
        return null;
    }

    private static int ReadPort(Dictionary<WebAppOption, SuppliedValue> values, List<string> errors)
    {
        if (!values.TryGetValue(KnownOptions.Port, out var supplied))
        {
            errors.Add($"{KnownOptions.Port.Flag} (or {KnownOptions.Port.EnvironmentVariable}) is required");
            return 0;
        }

        if (int.TryParse(supplied.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535)
        {
            return port;
        }

        errors.Add($"{supplied.Source} '{supplied.Value}' is not a port number (1-65535)");
        return 0;
    }

    private static TimeSpan ReadDrainTimeout(Dictionary<WebAppOption, SuppliedValue> values, List<string> errors)
    {
        if (!values.TryGetValue(KnownOptions.DrainTimeout, out var supplied))
        {
            return TimeSpan.FromSeconds(10);
        }

        if (double.TryParse(supplied.Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
            && seconds <= MaxDrainTimeoutSeconds)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        errors.Add($"{supplied.Source} '{supplied.Value}' must be seconds between 0 and {MaxDrainTimeoutSeconds}");
        return TimeSpan.Zero;
    }

    private static TimeSpan ReadStartupDelay(Dictionary<WebAppOption, SuppliedValue> values, List<string> errors)
    {
        if (!values.TryGetValue(KnownOptions.StartupDelay, out var supplied))
        {
            return TimeSpan.Zero;
        }

        if (int.TryParse(supplied.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds)
            && milliseconds <= MaxStartupDelayMilliseconds)
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }

        errors.Add($"{supplied.Source} '{supplied.Value}' must be milliseconds between 0 and {MaxStartupDelayMilliseconds}");
        return TimeSpan.Zero;
    }

    // Consul service names and IDs: keep to characters that are safe in DNS labels, KV keys and nginx upstreams.
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
    private static partial Regex NamePattern();

    /// <summary>A raw value and where it came from, so errors name the flag or variable the user actually set.</summary>
    private sealed record SuppliedValue(string Value, string Source, bool FromCommandLine);
}
