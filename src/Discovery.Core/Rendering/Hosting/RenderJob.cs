using Discovery.Core.Rendering.Configuration;
using Discovery.Core.Rendering.Targets;
using Discovery.Core.Rendering.Templating;

namespace Discovery.Core.Rendering.Hosting;

/// <summary>One configured template: its config, the compiled template and where its output goes.</summary>
internal sealed record RenderJob(int Index, TemplateConfig Config, CompiledTemplate Template, IRenderTarget Target);
