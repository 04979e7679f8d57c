namespace Discovery.Core.Processes;

/// <summary>What to start: placeholders already expanded.</summary>
/// <param name="Command">Executable; looked up on PATH when not a path.</param>
/// <param name="Args">Arguments, passed as-is (no shell splitting).</param>
/// <param name="Environment">Variables the child gets: added to (or overriding) the agent's own
/// environment when <paramref name="InheritEnvironment"/>, else its whole environment.</param>
/// <param name="WorkingDirectory">Null = the agent's working directory.</param>
/// <param name="LogPath">stdout and stderr are appended here by the child itself.</param>
/// <param name="InheritEnvironment">False for code the agent only supervises (app instances): it
/// must not see the agent's secrets, such as a <c>CONSUL_HTTP_TOKEN</c> in its environment.</param>
public sealed record ProcessLaunchSpec(
    string Command,
    IReadOnlyList<string> Args,
    IReadOnlyDictionary<string, string> Environment,
    string? WorkingDirectory,
    string LogPath,
    bool InheritEnvironment = true);
