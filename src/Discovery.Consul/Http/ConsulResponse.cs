using System.Net;

namespace Discovery.Consul.Http;

/// <summary>One raw answer from Consul with its blocking-query headers.</summary>
internal sealed record ConsulResponse(HttpStatusCode Status, byte[] Body, ulong Index, bool KnownLeader, TimeSpan LastContact);
