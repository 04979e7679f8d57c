using System.Globalization;
using Discovery.Core.NodeAgent.Configuration;
using Discovery.Core.NodeAgent.Flags;
using Discovery.Core.Processes;

namespace Discovery.Core.NodeAgent.Supervision;

/// <summary>One instance of an app on this node: the app's config bound to a port.</summary>
/// <param name="InstanceId">"&lt;app&gt;-&lt;node&gt;-&lt;port&gt;", also the Consul service ID.</param>
public sealed record InstanceSpec(AppConfig App, string NodeName, string Address, int Port, string InstanceId, string LogPath)
{
    /// <summary>Variables the agent sets for every instance, after the app's own <c>env</c> (they win).</summary>
    public const string AppVariable = "DISCOVERY_APP";
    public const string NodeVariable = "DISCOVERY_NODE";
    public const string InstanceVariable = "DISCOVERY_INSTANCE";
    public const string PortVariable = "DISCOVERY_PORT";
    public const string AddressVariable = "DISCOVERY_ADDRESS";

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

    /// <summary>The launch spec from the agent's real environment (see the overload).</summary>
    public ProcessLaunchSpec ToLaunchSpec() => ToLaunchSpec(Environment.GetEnvironmentVariable);

    /// <summary>
    /// The launch spec with every placeholder expanded for this instance and an explicit
    /// environment: the variables <see cref="AppConfig.PassEnv"/> names (read through
    /// <paramref name="agentEnvironment"/>), then the app's <c>env</c>, then the agent's own
    /// DISCOVERY_* values — never the rest of the agent's environment. With a <see cref="AppConfig.User"/>
    /// the command runs through setpriv, which execs in place (the pid stays the app's).
    /// </summary>
    public ProcessLaunchSpec ToLaunchSpec(Func<string, string?> agentEnvironment)
    {
        var port = Port.ToString(CultureInfo.InvariantCulture);
        var values = new Dictionary<string, string>
        {
            [Placeholders.Port] = port,
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

        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in App.PassEnv)
        {
            if (agentEnvironment(name) is { } value)
            {
                environment[name] = value;
            }
        }

        foreach (var (name, value) in App.Env)
        {
            environment[name] = Placeholders.Expand(value, values);
        }

        if (FlagsFile is not null)
        {
            environment[FlagsPublisher.EnvironmentVariable] = FlagsFile;
        }

        environment[AppVariable] = App.Name;
        environment[NodeVariable] = NodeName;
        environment[InstanceVariable] = InstanceId;
        environment[PortVariable] = port;
        environment[AddressVariable] = Address;

        var command = Placeholders.Expand(App.Command, values);
        var args = App.Args.Select(argument => Placeholders.Expand(argument, values)).ToList();
        if (App.User is { } user)
        {
            args = ["--reuid=" + user.Name, "--regid=" + user.GroupId.ToString(CultureInfo.InvariantCulture), "--init-groups", "--", command, .. args];
            command = AppIsolationBinder.Setpriv;
        }

        return new ProcessLaunchSpec(
            command,
            args,
            environment,
            App.WorkingDir is null ? null : Placeholders.Expand(App.WorkingDir, values),
            LogPath,
            InheritEnvironment: false);
    }
}
