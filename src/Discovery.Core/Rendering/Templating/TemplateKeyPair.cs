using Discovery.Core.Rendering.Templating.Evaluation;

namespace Discovery.Core.Rendering.Templating;

/// <summary>
/// One entry of <c>ls</c> / <c>tree</c> (consul-template's KeyPair). <see cref="Path"/> is the full
/// key; <see cref="Key"/> is relative to the prefix asked for (the data source leaves it empty, the
/// engine fills it in).
/// </summary>
internal sealed record TemplateKeyPair(
    string Path,
    string Key,
    string Value,
    long CreateIndex,
    long ModifyIndex,
    long LockIndex,
    long Flags,
    string Session) : ITemplateStruct
{
    public static StructShape Shape { get; } = new StructShape("*dependency.KeyPair", isComplete: true)
        .Field<TemplateKeyPair>("Path", () => TemplateType.String, p => p.Path)
        .Field<TemplateKeyPair>("Key", () => TemplateType.String, p => p.Key)
        .Field<TemplateKeyPair>("Value", () => TemplateType.String, p => p.Value)
        .Field<TemplateKeyPair>("CreateIndex", () => TemplateType.Int, p => p.CreateIndex)
        .Field<TemplateKeyPair>("ModifyIndex", () => TemplateType.Int, p => p.ModifyIndex)
        .Field<TemplateKeyPair>("LockIndex", () => TemplateType.Int, p => p.LockIndex)
        .Field<TemplateKeyPair>("Flags", () => TemplateType.Int, p => p.Flags)
        .Field<TemplateKeyPair>("Session", () => TemplateType.String, p => p.Session);

    StructShape ITemplateStruct.Shape => Shape;
}
