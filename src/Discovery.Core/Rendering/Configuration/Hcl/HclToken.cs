namespace Discovery.Core.Rendering.Configuration.Hcl;

/// <summary>One HCL lexeme; <see cref="Value"/> is decoded (strings unquoted, numbers in decimal).</summary>
internal readonly record struct HclToken(HclTokenKind Kind, string Value, int Line, int Column)
{
    public string Describe() => Kind switch
    {
        HclTokenKind.EndOfFile => "end of file",
        HclTokenKind.NewLine => "end of line",
        HclTokenKind.String => $"string \"{Value}\"",
        _ => $"\"{Value}\"",
    };
}
