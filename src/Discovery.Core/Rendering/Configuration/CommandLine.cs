namespace Discovery.Core.Rendering.Configuration;

/// <summary>
/// A command as consul-template's config spells it: a list of arguments, or a single string. As
/// in consul-template, a single string containing spaces runs through <c>sh -c</c> (so shell
/// syntax and $VARIABLES work); anything else runs directly.
/// </summary>
public sealed class CommandLine : IEquatable<CommandLine>
{
    public CommandLine(IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        Arguments = [.. arguments];
    }

    public IReadOnlyList<string> Arguments { get; }

    /// <summary>What actually runs: the program and its arguments.</summary>
    public (string Program, IReadOnlyList<string> Arguments) ToProcess() =>
        Arguments.Count == 1 && Arguments[0].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length > 1
            ? ("/bin/sh", ["-c", Arguments[0]])
            : (Arguments[0], Arguments.Skip(1).ToArray());

    public bool Equals(CommandLine? other) => other is not null && Arguments.SequenceEqual(other.Arguments, StringComparer.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as CommandLine);

    public override int GetHashCode() => Arguments.Aggregate(17, (hash, argument) => HashCode.Combine(hash, StringComparer.Ordinal.GetHashCode(argument)));

    public override string ToString() => Arguments.Count == 1 ? Arguments[0] : string.Join(' ', Arguments.Select(argument => argument.Contains(' ', StringComparison.Ordinal) ? $"\"{argument}\"" : argument));
}
