namespace Discovery.Core.Rendering.Commands;

/// <summary>Validates a candidate before it replaces a template's destination; failing keeps the old file.</summary>
internal interface ITemplateCheck
{
    string Description { get; }

    Task<CommandResult> CheckAsync(string candidate, string destination, CancellationToken cancellationToken);
}
