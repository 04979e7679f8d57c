namespace Discovery.Cli;

/// <summary>The process exit codes every verb uses: scripts rely on 2 meaning "fix your input".</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int RuntimeFailure = 1;
    public const int BadInput = 2;
}
