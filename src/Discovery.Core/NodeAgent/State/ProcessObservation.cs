namespace Discovery.Core.NodeAgent.State;

/// <summary>What the I/O shell saw for one state-file record.</summary>
/// <param name="LeaderRunning">A process with the record's pid AND start time is running.</param>
/// <param name="PidReused">A different process (other start time) now has the pid.</param>
/// <param name="GroupExists">Our process group still has members (meaningful when the leader is gone).</param>
/// <param name="AppConfigured">The record's app is still in the config and the port in its range.</param>
/// <param name="PortListening">Something accepts connections on the advertise address and port.</param>
/// <param name="Healthy">Health endpoint answered 200; null when not checked.</param>
public sealed record ProcessObservation(bool LeaderRunning, bool PidReused, bool GroupExists, bool AppConfigured, bool PortListening, bool? Healthy);
