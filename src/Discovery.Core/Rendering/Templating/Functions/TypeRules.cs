using Discovery.Core.Rendering.Templating.Evaluation;

namespace Discovery.Core.Rendering.Templating.Functions;

/// <summary>Small building blocks for <see cref="TypeRule"/>s.</summary>
internal static class TypeRules
{
    /// <summary>Every argument must be a string; the result is <paramref name="result"/>.</summary>
    public static TypeRule Strings(TemplateType result) => (TemplateType[] arguments, out string? error) =>
    {
        for (var i = 0; i < arguments.Length; i++)
        {
            if (!TemplateType.String.Accepts(arguments[i]))
            {
                error = $"argument {i + 1} must be a string, not {arguments[i]}";
                return null;
            }
        }

        error = null;
        return result;
    };

    /// <summary>Any arguments; the result is <paramref name="result"/>.</summary>
    public static TypeRule Returns(TemplateType result) => (TemplateType[] _, out string? error) =>
    {
        error = null;
        return result;
    };

    /// <summary>Arguments fmt will print with %v: refused when Go's text could not be reproduced (see <see cref="StructShape.IsComplete"/>).</summary>
    public static TypeRule Printed(int firstPrinted, TypeRule? inner = null) => (TemplateType[] arguments, out string? error) =>
    {
        for (var i = firstPrinted; i < arguments.Length; i++)
        {
            if (arguments[i].HasIncompleteStruct || arguments[i].HasNestedStruct)
            {
                error = $"printing a whole {arguments[i]} is not supported; print its fields";
                return null;
            }
        }

        if (inner is not null)
        {
            return inner(arguments, out error);
        }

        error = null;
        return TemplateType.String;
    };

    /// <summary>Go only compares basic values, and never int with float or string.</summary>
    public static TypeRule Comparable(bool ordered) => (TemplateType[] arguments, out string? error) =>
    {
        foreach (var argument in arguments)
        {
            var allowed = argument.Kind is ValueKind.Any or ValueKind.String or ValueKind.Int or ValueKind.Float
                || (!ordered && argument.Kind is ValueKind.Bool or ValueKind.Nil);
            if (!allowed)
            {
                error = $"invalid type for comparison: {argument}";
                return null;
            }
        }

        for (var i = 1; i < arguments.Length; i++)
        {
            var (left, right) = (arguments[0], arguments[i]);
            if (!left.IsAny && !right.IsAny && left.Kind != right.Kind && left.Kind != ValueKind.Nil && right.Kind != ValueKind.Nil)
            {
                error = $"incompatible types for comparison: {left} and {right}";
                return null;
            }
        }

        error = null;
        return TemplateType.Bool;
    };
}
