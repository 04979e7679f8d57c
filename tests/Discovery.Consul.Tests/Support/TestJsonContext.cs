using System.Text.Json.Serialization;

namespace Discovery.Consul.Tests.Support;

[JsonSerializable(typeof(List<string>))]
internal sealed partial class TestJsonContext : JsonSerializerContext;
