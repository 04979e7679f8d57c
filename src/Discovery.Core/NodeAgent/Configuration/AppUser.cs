namespace Discovery.Core.NodeAgent.Configuration;

/// <summary>The Unix account an app's instances run as: its name and its primary group (from the passwd entry).</summary>
public sealed record AppUser(string Name, int GroupId);
