using System.Globalization;
using System.Text;

namespace Discovery.Core.Rendering.Templating.Evaluation;

/// <summary>
/// fmt.Sprintf for the verbs templates use (%v %s %d %q %x %X %f %e %g %t %%), with flags
/// (- + 0 space), width and precision. Mismatches print Go's markers (%!d(string=x),
/// %!s(MISSING), %!(EXTRA …)) instead of failing, exactly as consul-template would.
/// </summary>
internal static class GoFormatter
{
    public static string Sprintf(string format, IReadOnlyList<object?> args)
    {
        var output = new StringBuilder(format.Length + 16 * args.Count);
        var next = 0;
        var i = 0;
        while (i < format.Length)
        {
            var percent = format.IndexOf('%', i);
            if (percent < 0)
            {
                output.Append(format, i, format.Length - i);
                break;
            }

            output.Append(format, i, percent - i);
            i = percent + 1;
            var spec = new Spec();
            while (i < format.Length && format[i] is '-' or '+' or '#' or ' ' or '0')
            {
                switch (format[i])
                {
                    case '-': spec.LeftAlign = true; break;
                    case '+': spec.Plus = true; break;
                    case ' ': spec.Space = true; break;
                    case '0': spec.ZeroPad = true; break;
                }

                i++;
            }

            spec.Width = ReadNumber(format, ref i);
            if (i < format.Length && format[i] == '.')
            {
                i++;
                spec.Precision = ReadNumber(format, ref i) ?? 0;
            }

            if (i >= format.Length)
            {
                output.Append("%!(NOVERB)");
                break;
            }

            var verb = format[i++];
            if (verb == '%')
            {
                output.Append('%');
                continue;
            }

            if (next >= args.Count)
            {
                output.Append("%!").Append(verb).Append("(MISSING)");
                continue;
            }

            FormatOne(output, verb, spec, args[next++]);
        }

        if (next < args.Count)
        {
            output.Append("%!(EXTRA ");
            for (var extra = next; extra < args.Count; extra++)
            {
                output.Append(extra > next ? ", " : "").Append(GoValues.TypeName(args[extra])).Append('=');
                GoValues.AppendDefault(output, args[extra]);
            }

            output.Append(')');
        }

        return output.ToString();
    }

    private static void FormatOne(StringBuilder output, char verb, Spec spec, object? arg)
    {
        string? text = (verb, arg) switch
        {
            ('v' or 'd', long l) => Signed(l.ToString(CultureInfo.InvariantCulture).TrimStart('-'), l >= 0, spec),
            ('v', double d) => Signed(GoFloat.Format(Math.Abs(d)), d >= 0 || double.IsNaN(d), spec),
            ('v', _) => GoValues.ToDefaultString(arg),
            ('s', string s) => Truncate(s, spec.Precision),
            ('s', IReadOnlyList<object?> or IReadOnlyDictionary<string, string>) => GoValues.ToDefaultString(arg),
            ('q', string s) => Quote(s),
            ('q', long l) when l is >= 0 and <= 0x10FFFF => "'" + char.ConvertFromUtf32((int)l) + "'",
            ('x', long l) => Signed(((ulong)Math.Abs((decimal)l)).ToString("x", CultureInfo.InvariantCulture), l >= 0, spec),
            ('X', long l) => Signed(((ulong)Math.Abs((decimal)l)).ToString("X", CultureInfo.InvariantCulture), l >= 0, spec),
            ('x', string s) => Convert.ToHexStringLower(Encoding.UTF8.GetBytes(s)),
            ('X', string s) => Convert.ToHexString(Encoding.UTF8.GetBytes(s)),
            ('f' or 'F', double d) => Signed(Math.Abs(d).ToString("F" + (spec.Precision ?? 6), CultureInfo.InvariantCulture), d >= 0, spec),
            ('e', double d) => Signed(GoExponent(Math.Abs(d), spec.Precision ?? 6), d >= 0, spec),
            ('g', double d) => Signed(GoFloat.Format(Math.Abs(d)), d >= 0, spec),
            ('t', bool b) => b ? "true" : "false",
            _ => null,
        };

        if (text is null)
        {
            output.Append("%!").Append(verb).Append('(').Append(GoValues.TypeName(arg));
            if (arg is not null)
            {
                output.Append('=');
                GoValues.AppendDefault(output, arg);
            }

            output.Append(')');
            return;
        }

        Pad(output, text, spec, numeric: arg is long or double && verb is not 'q');
    }

    private static string Signed(string digits, bool nonNegative, Spec spec) =>
        nonNegative ? (spec.Plus ? "+" : spec.Space ? " " : "") + digits : "-" + digits;

    private static void Pad(StringBuilder output, string text, Spec spec, bool numeric)
    {
        var padding = (spec.Width ?? 0) - text.Length;
        if (padding <= 0)
        {
            output.Append(text);
        }
        else if (spec.LeftAlign)
        {
            output.Append(text).Append(' ', padding);
        }
        else if (spec.ZeroPad && numeric)
        {
            // Zeros go after the sign, as in Go: %05d of -42 is -0042.
            var signLength = text.Length > 0 && text[0] is '-' or '+' or ' ' ? 1 : 0;
            output.Append(text, 0, signLength).Append('0', padding).Append(text, signLength, text.Length - signLength);
        }
        else
        {
            output.Append(spec.ZeroPad ? '0' : ' ', padding).Append(text);
        }
    }

    private static string Truncate(string text, int? precision) =>
        precision is { } runes && runes < text.Length ? text[..runes] : text;

    private static string GoExponent(double value, int precision)
    {
        var text = value.ToString((precision == 0 ? "0" : "0." + new string('0', precision)) + "e+00", CultureInfo.InvariantCulture);
        return text;
    }

    /// <summary>strconv.Quote: printable characters stay, the rest become Go escapes.</summary>
    public static string Quote(string text)
    {
        var quoted = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': quoted.Append("\\\""); break;
                case '\\': quoted.Append("\\\\"); break;
                case '\a': quoted.Append("\\a"); break;
                case '\b': quoted.Append("\\b"); break;
                case '\f': quoted.Append("\\f"); break;
                case '\n': quoted.Append("\\n"); break;
                case '\r': quoted.Append("\\r"); break;
                case '\t': quoted.Append("\\t"); break;
                case '\v': quoted.Append("\\v"); break;
                default:
                    if (c < 0x20 || c == 0x7f)
                    {
                        quoted.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else if (char.IsControl(c))
                    {
                        quoted.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        quoted.Append(c);
                    }

                    break;
            }
        }

        return quoted.Append('"').ToString();
    }

    private static int? ReadNumber(string format, ref int i)
    {
        var start = i;
        while (i < format.Length && char.IsAsciiDigit(format[i]))
        {
            i++;
        }

        return i > start ? int.Parse(format.AsSpan(start, i - start), CultureInfo.InvariantCulture) : null;
    }

    private struct Spec
    {
        public bool LeftAlign;
        public bool Plus;
        public bool Space;
        public bool ZeroPad;
        public int? Width;
        public int? Precision;
    }
}
