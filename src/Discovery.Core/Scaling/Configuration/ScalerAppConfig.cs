using Discovery.Core.Scaling.Policies;

namespace Discovery.Core.Scaling.Configuration;

/// <summary>An app the scaler manages and its policy from the file (KV <c>apps/&lt;app&gt;/policy</c> may override it).</summary>
internal sealed record ScalerAppConfig(string Name, ScalingPolicy Policy);
