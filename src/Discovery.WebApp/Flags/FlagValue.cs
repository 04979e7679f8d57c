namespace Discovery.WebApp.Flags;

/// <summary>One flag as the node agent delivered it.</summary>
internal sealed record FlagValue(bool Enabled, int Percent);
