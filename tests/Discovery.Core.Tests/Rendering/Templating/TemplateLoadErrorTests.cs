using Discovery.Core.Rendering.Templating;

namespace Discovery.Core.Tests.Rendering.Templating;

/// <summary>Everything outside the subset fails at load time, naming line and column.</summary>
public sealed class TemplateLoadErrorTests
{
    [Theory]
    [InlineData("{{ foo }}", 1, 4, "function \"foo\" not defined")]
    [InlineData("ok\n  {{ env \"HOME\" }}", 2, 6, "function \"env\" not defined")]
    [InlineData("{{ .Foo }}", 1, 4, "root data is empty")]
    [InlineData("{{ range service \"web\" }}{{ .Foo }}{{ end }}", 1, 29, "a service instance has no field .Foo")]
    [InlineData("{{ range services }}\n{{ .Address }}{{ end }}", 2, 4, "a services entry has no field .Address")]
    [InlineData("{{ range service \"web\" }}{{ .Port.Bar }}{{ end }}", 1, 34, "can't evaluate field .Bar in type int")]
    [InlineData("{{ end }}", 1, 4, "unexpected {{end}}")]
    [InlineData("{{ else }}", 1, 4, "unexpected {{else}}")]
    [InlineData("a\n{{ if true }}\nb", 2, 4, "{{if}} is never closed")]
    [InlineData("{{ range services }}x", 1, 4, "{{range}} is never closed")]
    [InlineData("{{ if 1 }}{{ else }}{{ else }}{{ end }}", 1, 24, "found a second {{else}}")]
    [InlineData("{{ range services }}{{ else if 1 }}{{ end }}", 1, 29, "only supported after {{if}}")]
    [InlineData("{{ with 1 }}{{ else with 2 }}{{ end }}", 1, 21, "after else")]
    [InlineData("{{ \"abc }}", 1, 4, "unterminated quoted string")]
    [InlineData("text {{ 1 ", 1, 6, "unclosed action")]
    [InlineData("{{ (1 }}", 1, 7, "unexpected \"}}\" in parenthesized pipeline")]
    [InlineData("{{ 1 ) }}", 1, 6, "unexpected \")\" in command")]
    [InlineData("{{/* unclosed }}", 1, 1, "unclosed comment")]
    [InlineData("{{ /* not a comment */ }}", 1, 4, "unexpected character '/'")]
    [InlineData("{{/* c */ x }}", 1, 10, "comment ends before closing delimiter")]
    [InlineData("{{ }}", 1, 4, "missing value for command")]
    [InlineData("{{ if }}{{ end }}", 1, 7, "missing value for if")]
    [InlineData("{{ $x }}", 1, 4, "undefined variable \"$x\"")]
    [InlineData("{{ $x = 1 }}", 1, 4, "undefined variable \"$x\"")]
    [InlineData("{{ $x := \"a\" }}{{ $x = 1 }}", 1, 19, "cannot assign int to $x, declared as string")]
    [InlineData("{{ range $i, $e := services }}{{ end }}{{ $e }}", 1, 43, "undefined variable \"$e\"")]
    [InlineData("{{ range $e := services }}{{ else }}{{ $e }}{{ end }}", 1, 40, "undefined variable \"$e\"")]
    [InlineData("{{ if $a, $b := 1 }}{{ end }}", 1, 11, "too many declarations in if")]
    [InlineData("{{ len }}", 1, 4, "wrong number of arguments for len: want 1, got 0")]
    [InlineData("{{ service }}", 1, 4, "wrong number of arguments for service: want 1 or 2, got 0")]
    [InlineData("{{ services \"dc1\" }}", 1, 4, "want 0, got 1")]
    [InlineData("{{ len 3 }}", 1, 4, "len of type int")]
    [InlineData("{{ service 3 }}", 1, 4, "argument 1 must be a string, not int")]
    [InlineData("{{ service \"web|pasing\" }}", 1, 4, "unknown health filter \"pasing\"")]
    [InlineData("{{ service \"web@dc2\" }}", 1, 4, "datacenter (@) and near (~) are not supported")]
    [InlineData("{{ service \"we b\" }}", 1, 4, "is not [tag.]name")]
    [InlineData("{{ eq 1 \"1\" }}", 1, 4, "incompatible types for comparison: int and string")]
    [InlineData("{{ lt true false }}", 1, 4, "invalid type for comparison: bool")]
    [InlineData("{{ eq services 1 }}", 1, 4, "invalid type for comparison")]
    [InlineData("{{ join \",\" \"a\" }}", 1, 4, "join needs a list of strings")]
    [InlineData("{{ index \"abc\" 1 }}", 1, 4, "can't index item of type string")]
    [InlineData("{{ index services \"x\" }}", 1, 4, "cannot index")]
    [InlineData("{{ \"a\" | \"b\" }}", 1, 10, "pipeline stage 2 must be a function call")]
    [InlineData("{{ \"a\" \"b\" }}", 1, 8, "can't give argument to non-function")]
    [InlineData("{{ printf \"%s\" toLower \"X\" }}", 1, 16, "wrong number of arguments for toLower")]
    [InlineData("{{ range 3 }}{{ end }}", 1, 4, "range can't iterate over int")]
    [InlineData("{{ range service \"web\" }}{{ . }}{{ end }}", 1, 29, "printing a whole")]
    [InlineData("{{ template \"x\" }}", 1, 4, "{{template}} is not supported")]
    [InlineData("{{ range services }}{{ break }}{{ end }}", 1, 24, "{{break}} is not supported")]
    [InlineData("{{ 1x }}", 1, 4, "bad number syntax")]
    [InlineData("{{ \"\\z\" }}", 1, 5, "unknown escape sequence")]
    [InlineData("{{ # }}", 1, 4, "unexpected character '#'")]
    public void Parse_OutsideSubset_ThrowsWithPosition(string text, int line, int column, string reason)
    {
        var error = Assert.Throws<TemplateException>(() => CompiledTemplate.Parse(text, "case.ctmpl"));

        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Equal($"case.ctmpl:{line}:{column}: {error.Reason}", error.Message);
    }
}
