using System.Text.Json.Serialization;
using Discovery.Consul.Agent;
using Discovery.Consul.Catalog;
using Discovery.Consul.Health;
using Discovery.Consul.KV;
using Discovery.Consul.Sessions;
using Discovery.Consul.Txn;

namespace Discovery.Consul.Serialization;

/// <summary>Source-generated (reflection-free) JSON for every shape the client sends or reads.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ServiceRegistration))]
[JsonSerializable(typeof(CheckDefinition))]
[JsonSerializable(typeof(Dictionary<string, AgentService>))]
[JsonSerializable(typeof(Dictionary<string, HealthCheck>))]
[JsonSerializable(typeof(AgentService))]
[JsonSerializable(typeof(List<AgentMember>))]
[JsonSerializable(typeof(AgentSelf))]
[JsonSerializable(typeof(Dictionary<string, List<string>>))]
[JsonSerializable(typeof(List<CatalogService>))]
[JsonSerializable(typeof(List<Node>))]
[JsonSerializable(typeof(CatalogNode))]
[JsonSerializable(typeof(List<ServiceEntry>))]
[JsonSerializable(typeof(List<HealthCheck>))]
[JsonSerializable(typeof(List<KVPair>))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(SessionRequest))]
[JsonSerializable(typeof(SessionCreated))]
[JsonSerializable(typeof(List<SessionEntry>))]
[JsonSerializable(typeof(List<TxnOperation>))]
[JsonSerializable(typeof(TxnWireResponse))]
[JsonSerializable(typeof(CheckUpdate))]
internal sealed partial class ConsulJsonContext : JsonSerializerContext;
