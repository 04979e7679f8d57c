namespace Discovery.Testing.Consul;

/// <summary>How a <see cref="ConsulTestServer"/> is started.</summary>
public sealed record ConsulTestServerOptions
{
    /// <summary>Enable ACLs with default deny; <see cref="ConsulTestServer.MasterToken"/> then holds every permission.</summary>
    public bool AclDefaultDeny { get; init; }

    /// <summary>Node name; a unique one when null.</summary>
    public string? NodeName { get; init; }

    /// <summary>Extra HCL appended to the agent's configuration.</summary>
    public string? ExtraHcl { get; init; }

    /// <summary>Extra entries inside the agent's single <c>ports { }</c> block (Consul refuses a second one), e.g. <c>https = 18501</c>.</summary>
    public string? ExtraPorts { get; init; }
}
