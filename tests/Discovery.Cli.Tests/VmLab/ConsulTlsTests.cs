using System.Net;
using Discovery.Cli.Tests.Commands;
using Discovery.Testing.Consul;
using Discovery.Testing.Network;
using Discovery.Testing.Tools;
using Xunit.Abstractions;

namespace Discovery.Cli.Tests.VmLab;

/// <summary>
/// The VM lab's TLS set-up in small: a real Consul serving its API over HTTPS with a certificate
/// from Consul's own CA (`consul tls ca create` / `cert create`, as the Vagrantfile makes them),
/// and the real `agent` reaching it with the CA file (CONSUL_CACERT, as the VMs' profile sets it)
/// — and refusing it without.
/// </summary>
public sealed class ConsulTlsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly DirectoryInfo _certificates = Directory.CreateTempSubdirectory("discovery-consul-tls-");
    private readonly int _httpsPort = LoopbackAddress.FreePorts(IPAddress.Loopback, 1)[0];
    private ConsulTestServer _server = null!;

    private string Https => $"https://127.0.0.1:{_httpsPort}";

    private string Ca => Path.Combine(_certificates.FullName, "consul-agent-ca.pem");

    public async Task InitializeAsync()
    {
        foreach (var arguments in new[] { new[] { "tls", "ca", "create" }, ["tls", "cert", "create", "-server", "-dc", "dc1"] })
        {
            var made = await ExternalCommand.RunAsync(ToolPaths.Consul, arguments, TimeSpan.FromSeconds(30), null, _certificates.FullName, CancellationToken.None);
            Assert.True(made.ExitCode == 0, made.Describe());
        }

        // The certificate names localhost and 127.0.0.1 (Consul's defaults), so HTTPS listens there.
        _server = await ConsulTestServer.StartAsync(output, new ConsulTestServerOptions
        {
            ExtraPorts = $"https = {_httpsPort}",
            ExtraHcl = $$"""
                ca_file   = "{{Ca}}"
                cert_file = "{{Path.Combine(_certificates.FullName, "dc1-server-consul-0.pem")}}"
                key_file  = "{{Path.Combine(_certificates.FullName, "dc1-server-consul-0-key.pem")}}"
                addresses { https = "127.0.0.1" }
                """,
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _certificates.Delete(recursive: true);
    }

    [Fact]
    public async Task Status_HttpsWithTheLabsCaFile_Connects()
    {
        var (exitCode, json, error) = await AgentProcess.RunAsync(new Dictionary<string, string?> { ["CONSUL_CACERT"] = Ca }, "status", "--json", "--consul", Https);

        Assert.True(exitCode == 0, error);
        Assert.StartsWith("{", json.TrimStart(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_HttpsWithoutTheCaFile_RefusesTheUnknownCertificate()
    {
        var (exitCode, _, error) = await AgentProcess.RunAsync(null, "status", "--json", "--consul", Https);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("SSL", error, StringComparison.OrdinalIgnoreCase);
    }
}
