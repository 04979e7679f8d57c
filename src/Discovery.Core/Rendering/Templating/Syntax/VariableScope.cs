using Discovery.Core.Rendering.Templating.Evaluation;

namespace Discovery.Core.Rendering.Templating.Syntax;

/// <summary>
/// Lexical variable scopes: a variable lives until the {{end}} of the control structure that
/// declared it (or the end of the template), as in Go. Each declaration gets its own slot.
/// </summary>
internal sealed class VariableScope(VariableScope? parent)
{
    private readonly Dictionary<string, (int Slot, TemplateType Type)> _variables = new(StringComparer.Ordinal);

    public VariableScope? Parent { get; } = parent;

    public void Declare(string name, int slot, TemplateType type) => _variables[name] = (slot, type);

    public bool TryFind(string name, out int slot, out TemplateType type)
    {
        for (var scope = this; scope is not null; scope = scope.Parent)
        {
            if (scope._variables.TryGetValue(name, out var found))
            {
                (slot, type) = found;
                return true;
            }
        }

        (slot, type) = (-1, TemplateType.Any);
        return false;
    }
}
