namespace Discovery.Core.Rendering.Templating.Evaluation;

/// <summary>
/// A <c>{{define "name"}}</c> (or <c>{{block}}</c>) body. Its nodes are set once the whole file is
/// parsed, since a template may be called before it is defined.
/// </summary>
internal sealed class DefinedTemplate(string name)
{
    public string Name { get; } = name;

    /// <summary>False while only calls have been seen; a load error if still false at the end of the file.</summary>
    public bool IsDefined { get; set; }

    public TemplateNode[] Nodes { get; set; } = [];

    /// <summary>Variable slots the body needs: each call gets its own, as Go gives each template its own variables.</summary>
    public int VariableCount { get; set; }

    /// <summary>Whether the body holds nothing but white space (Go lets a non-empty definition replace an empty one).</summary>
    public bool IsEmpty { get; set; } = true;
}
