namespace Discovery.Core.Rendering.Configuration;

/// <summary>What to register as service <c>lb</c>: where clients reach it and where the scaler reads stub_status.</summary>
public sealed record LoadBalancerRegistrationConfig(string Address, int Port, string StubStatusUrl);
