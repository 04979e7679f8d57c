namespace Discovery.WebApp.Settings;

/// <summary>One setting, readable as <c>--name value</c>, <c>--name=value</c> or an environment variable.</summary>
internal sealed record WebAppOption(string Name, string EnvironmentVariable, string ValueHint, string Description)
{
    public string Flag => "--" + Name;
}
