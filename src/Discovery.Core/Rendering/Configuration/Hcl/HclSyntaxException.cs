namespace Discovery.Core.Rendering.Configuration.Hcl;

/// <summary>Text that is not HCL (or not the part consul-template configs use); names line and column.</summary>
internal sealed class HclSyntaxException(int line, int column, string reason) : Exception($"line {line}, column {column}: {reason}");
