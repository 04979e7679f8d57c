namespace Discovery.WebApp.Flags;

/// <summary>The file the node agent writes (<c>DISCOVERY_FLAGS_FILE</c>): <c>{"flags":{name:{enabled,percent}}}</c>.</summary>
internal sealed record FlagFile(Dictionary<string, FlagValue> Flags);
