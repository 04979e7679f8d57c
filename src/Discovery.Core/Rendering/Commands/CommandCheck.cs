using Discovery.Core.Rendering.Configuration;

namespace Discovery.Core.Rendering.Commands;

/// <summary>
/// A template's <c>check</c> from the config, run with the candidate's path in
/// <c>$DISCOVERY_CANDIDATE</c> (and the destination's in <c>$DISCOVERY_DESTINATION</c>), e.g.
/// <c>check: "haproxy -c -f $DISCOVERY_CANDIDATE"</c>.
/// </summary>
internal sealed record CommandCheck(CommandLine Line, TimeSpan Timeout) : ITemplateCheck
{
    public const string CandidateVariable = "DISCOVERY_CANDIDATE";
    public const string DestinationVariable = "DISCOVERY_DESTINATION";

    public string Description => Line.ToString();

    public Task<CommandResult> CheckAsync(string candidate, string destination, CancellationToken cancellationToken)
    {
        var (program, arguments) = Line.ToProcess();
        var environment = new Dictionary<string, string?> { [CandidateVariable] = candidate, [DestinationVariable] = destination };
        return ExternalCommand.RunAsync(program, arguments, environment, Timeout, cancellationToken);
    }
}
