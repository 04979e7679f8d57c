using Discovery.Core.Configuration;

namespace Discovery.Core.Rendering.Configuration.Hcl;

/// <summary>
/// An HCL file read into the format-neutral config tree, so the same <see cref="ConfigMapReader"/>
/// binds it with the same paths, unknown-key checks and messages as YAML. A key given more than
/// once (repeated <c>template { }</c> blocks) becomes a list. <see cref="Numbers"/> remembers which
/// scalars were written as numbers: consul-template reads <c>perms = 0644</c> (an octal number)
/// differently from <c>perms = "644"</c> (a string it parses as octal).
/// </summary>
internal sealed record HclDocument(ConfigNode Root, IReadOnlySet<ConfigNode> Numbers);
