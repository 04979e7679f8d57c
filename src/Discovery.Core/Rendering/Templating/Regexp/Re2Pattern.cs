using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace Discovery.Core.Rendering.Templating.Regexp;

/// <summary>
/// A Go (RE2) regular expression, run on .NET's engine through <see cref="Re2Translator"/>, with
/// Go's MatchString and ReplaceAllString semantics (leftmost-first matches, no empty match right
/// after a previous match, <c>$name</c>/<c>${name}</c> expansion with Go's rules).
/// </summary>
internal sealed class Re2Pattern
{
    /// <summary>RE2 runs in linear time; .NET's backtracking engine does not, so a pathological pattern is cut off.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    private const int CacheLimit = 512;
    private static readonly ConcurrentDictionary<string, Re2Pattern> Cache = new(StringComparer.Ordinal);

    private readonly Regex _regex;
    private readonly IReadOnlyDictionary<string, int> _groupNumbers;
    private readonly int _groupCount;

    private Re2Pattern(string pattern)
    {
        var translation = Re2Translator.Translate(pattern);
        _regex = new Regex(translation.Pattern, RegexOptions.CultureInvariant, MatchTimeout);
        _groupNumbers = translation.GroupNumbers;
        _groupCount = translation.GroupCount;
    }

    /// <summary>Compiles (or reuses) a pattern.</summary>
    /// <exception cref="Re2SyntaxException">Go would reject it, or it is outside the supported part of RE2.</exception>
    public static Re2Pattern Get(string pattern)
    {
        if (Cache.TryGetValue(pattern, out var cached))
        {
            return cached;
        }

        var compiled = new Re2Pattern(pattern);
        if (Cache.Count >= CacheLimit)
        {
            // Patterns normally come from template text and are few; ones read from Consul could be
            // unbounded, so the cache starts over rather than grow without end.
            Cache.Clear();
        }

        Cache[pattern] = compiled;
        return compiled;
    }

    public bool IsMatch(string input)
    {
        try
        {
            return _regex.IsMatch(input);
        }
        catch (RegexMatchTimeoutException)
        {
            throw TimedOut();
        }
    }

    /// <summary>Go's Regexp.ReplaceAllString.</summary>
    public string ReplaceAll(string input, string replacement)
    {
        var output = new StringBuilder(input.Length);
        var lastMatchEnd = 0;
        var searchAt = 0;
        try
        {
            while (searchAt <= input.Length)
            {
                var match = _regex.Match(input, searchAt);
                if (!match.Success)
                {
                    break;
                }

                var (start, end) = (match.Index, match.Index + match.Length);
                output.Append(input, lastMatchEnd, start - lastMatchEnd);

                // Go inserts no replacement for an empty match right after the previous match, so
                // a* on "baaac" gives "-b-c-", not .NET's "-b--c-".
                if (end > lastMatchEnd || start == 0)
                {
                    Expand(output, replacement, match);
                }

                lastMatchEnd = end;

                // Always advance by at least one whole character (a surrogate pair is one rune).
                var width = searchAt < input.Length && char.IsHighSurrogate(input[searchAt]) && searchAt + 1 < input.Length ? 2 : 1;
                searchAt = searchAt + width > end ? searchAt + width : end;
            }
        }
        catch (RegexMatchTimeoutException)
        {
            throw TimedOut();
        }

        output.Append(input, lastMatchEnd, input.Length - lastMatchEnd);
        return output.ToString();
    }

    /// <summary>
    /// Go's Regexp.Expand: <c>$$</c> is a dollar; <c>$name</c> takes the longest run of letters,
    /// digits and underscores (so <c>$1x</c> names group "1x", which is empty); <c>${name}</c> is
    /// explicit; a malformed reference is copied as is.
    /// </summary>
    private void Expand(StringBuilder output, string template, Match match)
    {
        var i = 0;
        while (i < template.Length)
        {
            var dollar = template.IndexOf('$', i);
            if (dollar < 0)
            {
                output.Append(template, i, template.Length - i);
                return;
            }

            output.Append(template, i, dollar - i);
            i = dollar + 1;
            if (i < template.Length && template[i] == '$')
            {
                output.Append('$');
                i++;
                continue;
            }

            var braced = i < template.Length && template[i] == '{';
            var nameStart = braced ? i + 1 : i;
            var nameEnd = nameStart;
            while (nameEnd < template.Length && (char.IsAsciiLetterOrDigit(template[nameEnd]) || template[nameEnd] == '_'))
            {
                nameEnd++;
            }

            var malformed = nameEnd == nameStart || (braced && (nameEnd >= template.Length || template[nameEnd] != '}'));
            if (malformed)
            {
                output.Append('$');
                continue;
            }

            AppendGroup(output, template[nameStart..nameEnd], match);
            i = braced ? nameEnd + 1 : nameEnd;
        }
    }

    private void AppendGroup(StringBuilder output, string name, Match match)
    {
        var number = -1;
        if (name.All(char.IsAsciiDigit))
        {
            // A huge number is simply no such group.
            number = name.Length <= 9 ? int.Parse(name, System.Globalization.CultureInfo.InvariantCulture) : -1;
        }
        else if (_groupNumbers.TryGetValue(name, out var named))
        {
            number = named;
        }

        if (number == 0)
        {
            output.Append(match.Value);
        }
        else if (number > 0 && number <= _groupCount && match.Groups[Re2Translator.GroupName(number)] is { Success: true } group)
        {
            output.Append(group.Value);
        }
    }

    private static Re2SyntaxException TimedOut() =>
        new($"regexp took longer than {MatchTimeout.TotalSeconds:0} s (.NET runs it by backtracking, unlike RE2); simplify the pattern");
}
