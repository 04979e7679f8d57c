using System.CommandLine;
using Discovery.Consul;
using Discovery.Core.Configuration;
using Discovery.Core.Lab;

namespace Discovery.Cli.Options;

/// <summary>
/// --consul / --token / --token-file / --datacenter, shared by every verb that talks to Consul.
/// Precedence: flags, then the Consul CLI's variables (CONSUL_HTTP_ADDR, CONSUL_HTTP_SSL,
/// CONSUL_HTTP_TOKEN, CONSUL_HTTP_TOKEN_FILE, CONSUL_CACERT), then the local lab's operator.env (so
/// `agent status` just works inside a running lab), then Consul's default. A token file that cannot
/// be read is an error (exit 2), never a silent fallback to no token.
/// </summary>
internal sealed class ConnectionOptions
{
    public Option<string?> Consul { get; } = new("--consul")
    {
        Description = "Consul HTTP address (host:port or URL). Default: CONSUL_HTTP_ADDR, the local lab, or 127.0.0.1:8500.",
    };

    public Option<string?> Token { get; } = new("--token")
    {
        Description = "ACL token. Prefer --token-file: a token on the command line is visible to other users. Default: CONSUL_HTTP_TOKEN.",
    };

    public Option<FileInfo?> TokenFile { get; } = new("--token-file")
    {
        Description = "File holding the ACL token. Default: CONSUL_HTTP_TOKEN_FILE, or the local lab's operator token.",
    };

    public Option<string?> Datacenter { get; } = new("--datacenter")
    {
        Description = "Consul datacenter. Default: the agent's own.",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Consul);
        command.Options.Add(Token);
        command.Options.Add(TokenFile);
        command.Options.Add(Datacenter);
    }

    /// <summary>A client for the connection the flags, environment or lab describe (one factory for every verb and daemon).</summary>
    public Task<ConsulClient> CreateClientAsync(ParseResult parseResult, CancellationToken cancellationToken) =>
        ConsulConnection.CreateClientAsync(Resolve(parseResult), TimeProvider.System, cancellationToken, "connection");

    /// <summary>The connection the flags, environment or lab describe; unusable files are reported by <see cref="ConsulConnection"/>.</summary>
    public ConsulConnectionConfig Resolve(ParseResult parseResult)
    {
        var address = parseResult.GetValue(Consul);
        var token = parseResult.GetValue(Token);
        var tokenFile = parseResult.GetValue(TokenFile)?.FullName;
        if (token is not null && tokenFile is not null)
        {
            throw new UsageException("--token and --token-file are mutually exclusive");
        }

        var environmentAddress = Variable("CONSUL_HTTP_ADDR");
        var environmentToken = Variable("CONSUL_HTTP_TOKEN");
        var environmentTokenFile = Variable("CONSUL_HTTP_TOKEN_FILE");
        if (address is null && token is null && tokenFile is null
            && environmentAddress is null && environmentToken is null && environmentTokenFile is null
            && OperatorEnvironment.TryLoad(LabPaths.DefaultStateDirectory(), out var lab))
        {
            address = lab.Address.ToString();
            tokenFile = lab.TokenFile;
        }

        address ??= environmentAddress;
        if (token is null && tokenFile is null)
        {
            token = environmentToken;
            tokenFile = environmentToken is null ? environmentTokenFile : null;
        }

        try
        {
            var https = string.Equals(Variable("CONSUL_HTTP_SSL"), "true", StringComparison.OrdinalIgnoreCase);
            return new ConsulConnectionConfig(
                address is null ? ConsulConnectionConfig.DefaultAddress : ConsulClientOptions.ParseAddress(address, https),
                token,
                tokenFile,
                parseResult.GetValue(Datacenter),
                Variable("CONSUL_CACERT"));
        }
        catch (ArgumentException exception)
        {
            throw new UsageException(exception.Message);
        }
    }

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
