using Discovery.Core.Rendering.Catalog;
using Discovery.Core.Rendering.Templating;

namespace Discovery.Core.Rendering.Hosting;

/// <summary>
/// Every template rendered once against one snapshot: per template its output, or what data it
/// still misses, or the error it hit with complete data. Templates are independent: one waiting
/// or failing does not hold the others back (as in consul-template).
/// </summary>
internal sealed class RenderRound
{
    private RenderRound(TemplateDataSnapshot snapshot, IReadOnlyList<(RenderJob Job, TemplateRenderResult? Result, TemplateException? Error)> outcomes)
    {
        Snapshot = snapshot;
        Outcomes = outcomes;
    }

    public TemplateDataSnapshot Snapshot { get; }

    public IReadOnlyList<(RenderJob Job, TemplateRenderResult? Result, TemplateException? Error)> Outcomes { get; }

    /// <summary>Every dependency any template touched, without duplicates.</summary>
    public IReadOnlyCollection<TemplateDependency> Dependencies =>
        Outcomes.Where(outcome => outcome.Result is not null).SelectMany(outcome => outcome.Result!.Dependencies).ToHashSet();

    /// <summary>True when no template waits for data (only then do its dependencies list everything it will ever read).</summary>
    public bool AllComplete => Outcomes.All(outcome => outcome.Error is not null || outcome.Result!.IsComplete);

    public IEnumerable<(RenderJob Job, IReadOnlyList<TemplateDependency> Missing)> Waiting =>
        Outcomes.Where(outcome => outcome.Result is { IsComplete: false }).Select(outcome => (outcome.Job, outcome.Result!.Missing));

    public IEnumerable<(RenderJob Job, TemplateException Error)> Errors =>
        Outcomes.Where(outcome => outcome.Error is not null).Select(outcome => (outcome.Job, outcome.Error!));

    public IEnumerable<(RenderJob Job, TemplateRenderResult Result)> Complete =>
        Outcomes.Where(outcome => outcome.Result is { IsComplete: true }).Select(outcome => (outcome.Job, outcome.Result!));

    public static RenderRound Run(IReadOnlyList<RenderJob> jobs, TemplateDataSnapshot snapshot, RenderEnvironment environment)
    {
        var outcomes = new List<(RenderJob, TemplateRenderResult?, TemplateException?)>(jobs.Count);
        foreach (var job in jobs)
        {
            try
            {
                outcomes.Add((job, job.Template.Render(snapshot, environment), null));
            }
            catch (TemplateException error)
            {
                outcomes.Add((job, null, error));
            }
        }

        return new RenderRound(snapshot, outcomes);
    }
}
