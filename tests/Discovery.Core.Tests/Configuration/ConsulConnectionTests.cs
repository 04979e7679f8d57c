using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Discovery.Core.Configuration;

namespace Discovery.Core.Tests.Configuration;

/// <summary>The one Consul connection factory every daemon and CLI verb uses, and the <c>consul:</c> binder they share.</summary>
public sealed class ConsulConnectionTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("discovery-connection-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public void ToString_InlineToken_NeverPrinted()
    {
        var config = new ConsulConnectionConfig(new Uri("http://127.0.0.1:8500"), "3f1c0a52-secret-token", null, "dc1");

        Assert.DoesNotContain("3f1c0a52-secret-token", config.ToString(), StringComparison.Ordinal);
        Assert.Contains("Token = (set)", config.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_TokenAndCaFiles_TokenTrimmedAndEverythingCarried()
    {
        var tokenFile = Write("token", "  secret-token\n");
        using var key = ECDsa.Create();
        using var authority = new CertificateRequest("CN=test ca", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        var caFile = Write("ca.pem", authority.ExportCertificatePem());
        var config = new ConsulConnectionConfig(new Uri("https://127.0.0.5:8501"), null, tokenFile, "dc2", caFile, TimeSpan.FromSeconds(9));

        var options = await ConsulConnection.ResolveAsync(config, "consul", CancellationToken.None);

        Assert.Equal("secret-token", options.Token);
        Assert.Equal(new Uri("https://127.0.0.5:8501"), options.Address);
        Assert.Equal(caFile, options.CaFile);
        Assert.Equal("dc2", options.Datacenter);
        Assert.Equal(TimeSpan.FromSeconds(9), options.RequestTimeout);
    }

    [Theory]
    [InlineData("missing", "consul.tokenFile", "cannot read token file")]
    [InlineData("empty", "consul.tokenFile", "is empty")]
    [InlineData("not-a-certificate", "consul.caFile", "is not a certificate")]
    [InlineData("missing-ca", "consul.caFile", "cannot read CA file")]
    public async Task ResolveAsync_UnusableFile_ConfigErrorNamingTheKey(string problem, string path, string message)
    {
        var config = problem switch
        {
            "missing" => ConsulConnectionConfig.Default with { TokenFile = Path.Combine(_folder.FullName, "nope") },
            "empty" => ConsulConnectionConfig.Default with { TokenFile = Write("empty", "\n") },
            "not-a-certificate" => ConsulConnectionConfig.Default with { CaFile = Write("ca.pem", "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n") },
            _ => ConsulConnectionConfig.Default with { CaFile = Path.Combine(_folder.FullName, "nope.pem") },
        };

        var error = await Assert.ThrowsAsync<ConfigException>(() => ConsulConnection.ResolveAsync(config, "consul", CancellationToken.None));

        var only = Assert.Single(error.Errors);
        Assert.Equal(path, only.Path);
        Assert.Contains(message, only.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_BothFilesUnusable_ReportsBoth()
    {
        var config = ConsulConnectionConfig.Default with { TokenFile = "/nonexistent/token", CaFile = "/nonexistent/ca.pem" };

        var error = await Assert.ThrowsAsync<ConfigException>(() => ConsulConnection.ResolveAsync(config, "connection", CancellationToken.None));

        Assert.Equal(["connection.tokenFile", "connection.caFile"], error.Errors.Select(e => e.Path));
    }

    [Theory]
    [InlineData("consul: { address: \"http://127.0.0.9:8501\" }", "http://127.0.0.9:8501/", null)]
    [InlineData("consul: { address: \"127.0.0.9:8501\" }", null, "consul.address: \"127.0.0.9:8501\" is not an http:// or https:// address")]
    [InlineData("consul: { address: \"https://consul.example:8501\", caFile: ca.pem, requestTimeout: 2s }", "https://consul.example:8501/", null)]
    [InlineData("consul: { address: \"ftp://x\" }", null, "consul.address: \"ftp://x\" is not an http:// or https:// address")]
    [InlineData("consul: { token: a, tokenFile: b }", null, "consul.tokenFile: give either token or tokenFile, not both")]
    [InlineData("consul: { requestTimeout: soon }", null, "consul.requestTimeout: \"soon\" is not a duration (use e.g. \"500ms\", \"10s\", \"1m30s\")")]
    [InlineData("consul: { adress: x }", null, "consul.adress: unknown key (did you mean \"address\"?)")]
    public void Bind_ConsulMap_AddressOrEveryError(string yaml, string? address, string? error)
    {
        var (config, errors) = ConfigDocument.Load(yaml, ConfigFormat.Yaml, _folder.FullName,
            (root, baseDirectory, _) => ConsulConnectionBinder.Bind(root.Map("consul"), baseDirectory));

        if (error is null)
        {
            Assert.Empty(errors);
            Assert.Equal(address, config!.Address.ToString());
        }
        else
        {
            Assert.Equal([error], errors.Select(e => e.ToString()));
        }
    }

    [Fact]
    public void Bind_RelativeFiles_ResolvedAgainstTheConfigFolder()
    {
        var (config, errors) = ConfigDocument.Load("consul: { tokenFile: t, caFile: certs/ca.pem }", ConfigFormat.Yaml, _folder.FullName,
            (root, baseDirectory, _) => ConsulConnectionBinder.Bind(root.Map("consul"), baseDirectory));

        Assert.Empty(errors);
        Assert.Equal(Path.Combine(_folder.FullName, "t"), config!.TokenFile);
        Assert.Equal(Path.Combine(_folder.FullName, "certs", "ca.pem"), config.CaFile);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }
}
