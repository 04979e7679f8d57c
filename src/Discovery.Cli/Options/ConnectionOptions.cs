using System.CommandLine;
using Discovery.Consul;
using Discovery.Core.Lab;

namespace Discovery.Cli.Options;

/// <summary>
/// --consul / --token / --token-file / --datacenter, shared by every verb that talks to Consul.
/// Precedence: flags, then CONSUL_HTTP_ADDR / CONSUL_HTTP_TOKEN / CONSUL_HTTP_TOKEN_FILE, then the
/// local lab's operator.env (so `agent status` just works inside a running lab), then Consul's default.
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

    public ConsulClientOptions Resolve(ParseResult parseResult)
    {
        var address = parseResult.GetValue(Consul);
        var token = parseResult.GetValue(Token);
        var tokenFile = parseResult.GetValue(TokenFile);
        if (token is not null && tokenFile is not null)
        {
            throw new UsageException("--token and --token-file are mutually exclusive");
        }

        if (tokenFile is not null)
        {
            token = ReadTokenFile(tokenFile.FullName);
        }

        var fromEnvironment = Environment.GetEnvironmentVariable("CONSUL_HTTP_ADDR") is { Length: > 0 }
            || Environment.GetEnvironmentVariable("CONSUL_HTTP_TOKEN") is { Length: > 0 }
            || Environment.GetEnvironmentVariable("CONSUL_HTTP_TOKEN_FILE") is { Length: > 0 };
        if (address is null && token is null && !fromEnvironment
            && OperatorEnvironment.TryLoad(LabPaths.DefaultStateDirectory(), out var lab))
        {
            address = lab.Address.ToString();
            token = ReadTokenFile(lab.TokenFile);
        }

        try
        {
            return ConsulClientOptions.FromEnvironment(address, token, parseResult.GetValue(Datacenter));
        }
        catch (ArgumentException exception)
        {
            throw new UsageException(exception.Message);
        }
    }

    private static string ReadTokenFile(string path)
    {
        try
        {
            var token = File.ReadAllText(path).Trim();
            return token.Length > 0 ? token : throw new UsageException($"token file '{path}' is empty");
        }
        catch (IOException exception)
        {
            throw new UsageException($"cannot read token file '{path}': {exception.Message}");
        }
        catch (UnauthorizedAccessException exception)
        {
            throw new UsageException($"cannot read token file '{path}': {exception.Message}");
        }
    }
}
