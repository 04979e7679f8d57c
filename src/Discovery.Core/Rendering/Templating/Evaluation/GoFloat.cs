using System.Globalization;
using System.Text;

namespace Discovery.Core.Rendering.Templating.Evaluation;

/// <summary>
/// Go's two ways of writing a float64 from its shortest round-trip digits: fmt's <c>%v</c>
/// (strconv 'g' with the shortest precision: exponent form below 1e-4 or from 1e6 up, e.g.
/// 1e+06, 1.23456789e+08) and encoding/json's (plain digits between 1e-6 and 1e21, e.g. 1e-7).
/// </summary>
internal static class GoFloat
{
    /// <summary>fmt's %v of a float64.</summary>
    public static string Format(double value)
    {
        if (Special(value) is { } special)
        {
            return special;
        }

        var (digits, exponent) = Shortest(value);
        var sign = value < 0 || (value == 0 && double.IsNegative(value)) ? "-" : "";
        return exponent < -4 || exponent >= 6
            ? sign + Exponential(digits, exponent, minimumExponentDigits: 2)
            : sign + Plain(digits, exponent);
    }

    /// <summary>encoding/json's number text for a float64 (NaN and infinities are errors there).</summary>
    public static string FormatJson(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            throw new TemplateEvaluationError($"json: unsupported value: {Format(value)}");
        }

        var (digits, exponent) = Shortest(value);
        var sign = value < 0 ? "-" : "";
        var absolute = Math.Abs(value);
        return absolute != 0 && (absolute < 1e-6 || absolute >= 1e21)
            ? sign + Exponential(digits, exponent, minimumExponentDigits: 1)
            : sign + Plain(digits, exponent);
    }

    private static string? Special(double value) =>
        double.IsNaN(value) ? "NaN" : double.IsPositiveInfinity(value) ? "+Inf" : double.IsNegativeInfinity(value) ? "-Inf" : null;

    /// <summary>The shortest decimal digits that round-trip (no leading or trailing zeros) and the decimal exponent of the first.</summary>
    private static (string Digits, int Exponent) Shortest(double value)
    {
        if (value == 0)
        {
            return ("0", 0);
        }

        // "R" is the shortest round-trip text: "123.45", "0.00012" or "1.2345E+20".
        var text = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var e = text.IndexOf('E', StringComparison.Ordinal);
        var mantissa = e < 0 ? text : text[..e];
        var shift = e < 0 ? 0 : int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var integerPart = point < 0 ? mantissa : mantissa[..point];
        var allDigits = mantissa.Replace(".", "", StringComparison.Ordinal);
        var leadingZeros = allDigits.Length - allDigits.TrimStart('0').Length;
        var exponent = integerPart.Length - 1 - leadingZeros + shift;
        var digits = allDigits.TrimStart('0').TrimEnd('0');
        return (digits.Length == 0 ? "0" : digits, exponent);
    }

    private static string Exponential(string digits, int exponent, int minimumExponentDigits)
    {
        var text = new StringBuilder().Append(digits[0]);
        if (digits.Length > 1)
        {
            text.Append('.').Append(digits, 1, digits.Length - 1);
        }

        var magnitude = Math.Abs(exponent).ToString(CultureInfo.InvariantCulture).PadLeft(minimumExponentDigits, '0');
        return text.Append('e').Append(exponent < 0 ? '-' : '+').Append(magnitude).ToString();
    }

    private static string Plain(string digits, int exponent)
    {
        if (exponent < 0)
        {
            return "0." + new string('0', -exponent - 1) + digits;
        }

        var integerDigits = exponent + 1;
        return digits.Length <= integerDigits
            ? digits + new string('0', integerDigits - digits.Length)
            : digits[..integerDigits] + "." + digits[integerDigits..];
    }
}
