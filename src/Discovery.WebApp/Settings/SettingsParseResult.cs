namespace Discovery.WebApp.Settings;

/// <summary>
/// Outcome of reading the command line and environment: settings when everything is valid,
/// otherwise every problem found (so one run shows them all), or a request for the usage text.
/// </summary>
internal sealed record SettingsParseResult(WebAppSettings? Settings, IReadOnlyList<string> Errors, bool HelpRequested)
{
    public static SettingsParseResult Valid(WebAppSettings settings) => new(settings, [], false);

    public static SettingsParseResult Invalid(IReadOnlyList<string> errors) => new(null, errors, false);

    public static SettingsParseResult Help() => new(null, [], true);
}
