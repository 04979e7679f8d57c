using System.Globalization;
using Discovery.Core.NodeAgent.Configuration;
using Discovery.Core.NodeAgent.Flags;
using Discovery.Core.Processes;

namespace Discovery.Core.NodeAgent.Supervision;

/// <summary>One instance of an app on this node: the app's config bound to a port.</summary>
/// <param name="InstanceId">"&lt;app&gt;-&lt;node&gt;-&lt;port&gt;", also the Consul service ID.</param>
public sealed record InstanceSpec(AppConfig App, string NodeName, string Address, int Port, string InstanceId, string LogPath)
{
    public static InstanceSpec Create(NodeAgentConfig node, AppConfig app, int port)
    {
        var instanceId = $"{app.Name}-{node.Name}-{port.ToString(CultureInfo.InvariantCulture)}";
        return new InstanceSpec(app, node.Name, node.AdvertiseAddress, port, instanceId, Path.Combine(node.LogDir, $"{instanceId}.log"))
        {
            FlagsFile = FlagsPublisher.FlagsFile(node.DataDir, app.Name),
        };
    }

    /// <summary>The app's feature-flags file on this node, handed to the instance as <c>DISCOVERY_FLAGS_FILE</c>; null: none.</summary>
    public string? FlagsFile { get; init; }

    /// <summary>The launch spec with every placeholder expanded for this instance.</summary>
    public ProcessLaunchSpec ToLaunchSpec()
    {
        var values = new Dictionary<string, string>
        {
            [Placeholders.Port] = Port.ToString(CultureInfo.InvariantCulture),
            [Placeholders.Address] = Address,
            [Placeholders.Instance] = InstanceId,
            [Placeholders.App] = App.Name,
            [Placeholders.Node] = NodeName,
            [Placeholders.Version] = App.Version,
        };
        if (AppVersions.ArtifactFolder(App) is { } artifacts)
        {
            values[Placeholders.Artifacts] = artifacts;
        }

        return new ProcessLaunchSpec(
            Placeholders.Expand(App.Command, values),
            App.Args.Select(argument => Placeholders.Expand(argument, values)).ToList(),
            WithFlagsFile(App.Env.ToDictionary(pair => pair.Key, pair => Placeholders.Expand(pair.Value, values))),
            App.WorkingDir is null ? null : Placeholders.Expand(App.WorkingDir, values),
            LogPath);
    }

    private Dictionary<string, string> WithFlagsFile(Dictionary<string, string> env)
    {
        if (FlagsFile is not null)
        {
            env.TryAdd(FlagsPublisher.EnvironmentVariable, FlagsFile);
        }

        return env;
    }
}
