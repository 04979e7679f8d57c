using System.Globalization;
using Discovery.Consul.Agent;
using Discovery.Core.NodeAgent.Supervision;

namespace Discovery.Core.NodeAgent.Registration;

/// <summary>What the agent reports in an instance's "process alive" TTL check.</summary>
public sealed record AliveStatus(string Status, string Output)
{
    public static AliveStatus Passing(string output) => new(CheckStatus.Passing, output);

    public static AliveStatus Critical(string output) => new(CheckStatus.Critical, output);

    /// <summary>
    /// The check state a supervisor event implies; null for events that change nothing Consul
    /// should know (Starting, Stopping, Stopped). A crash loop is critical with the supervisor's
    /// reason so an operator reads the cause in the Consul UI.
    /// </summary>
    public static AliveStatus? FromEvent(InstanceEvent instanceEvent) => instanceEvent.Kind switch
    {
        InstanceEventKind.Running => Passing($"running, pid {instanceEvent.Process?.Pid.ToString(CultureInfo.InvariantCulture) ?? "?"}"),
        InstanceEventKind.Exited => Critical($"exited with code {instanceEvent.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "unknown"}"),
        InstanceEventKind.CrashLooping => Critical($"crash loop: {instanceEvent.Reason}"),
        InstanceEventKind.BackingOff when instanceEvent.Reason is not null => Critical($"crash loop: {instanceEvent.Reason}"),
        InstanceEventKind.BackingOff => Critical($"exited; restarting at {instanceEvent.Until:O}"),
        _ => null,
    };
}
