namespace Discovery.Agent.NodeAgent.Configuration;

internal enum ConfigNodeKind
{
    Null,
    Scalar,
    Map,
    Sequence,
}
