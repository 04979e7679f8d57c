namespace Discovery.Core.Configuration;

internal enum ConfigNodeKind
{
    Null,
    Scalar,
    Map,
    Sequence,
}
