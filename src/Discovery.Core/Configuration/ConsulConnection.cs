using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Discovery.Consul;

namespace Discovery.Core.Configuration;

/// <summary>
/// The one way every daemon (node agent, scaler, renderer) and every CLI verb gets a
/// <see cref="ConsulClient"/>: the token file is read and the CA file loaded before anything
/// starts. A file that cannot be used is the operator's to fix, so it is a
/// <see cref="ConfigException"/> naming the key (exit 2) everywhere — never a silent fallback to
/// no token, never a "start failed".
/// </summary>
public static class ConsulConnection
{
    /// <summary>A client for <paramref name="config"/>; <paramref name="path"/> names the config map in errors ("consul").</summary>
    /// <param name="handler">For measurements (request counting) only; null in production.</param>
    public static async Task<ConsulClient> CreateClientAsync(
        ConsulConnectionConfig config, TimeProvider time, CancellationToken cancellationToken, string path = "consul", HttpMessageHandler? handler = null)
    {
        var options = await ResolveAsync(config, path, cancellationToken).ConfigureAwait(false);
        return new ConsulClient(options, handler, time);
    }

    /// <summary>The client options <paramref name="config"/> describes; throws <see cref="ConfigException"/> listing every unusable file.</summary>
    public static async Task<ConsulClientOptions> ResolveAsync(ConsulConnectionConfig config, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        var errors = new List<ConfigError>();
        var token = config.Token;
        if (config.TokenFile is { } tokenFile)
        {
            token = await ReadTokenAsync(tokenFile, ConfigPath.Key(path, "tokenFile"), errors, cancellationToken).ConfigureAwait(false);
        }

        if (config.CaFile is { } caFile)
        {
            CheckAuthority(caFile, ConfigPath.Key(path, "caFile"), errors);
        }

        if (errors.Count > 0)
        {
            throw new ConfigException(errors);
        }

        var options = new ConsulClientOptions
        {
            Address = config.Address,
            Token = string.IsNullOrEmpty(token) ? null : token,
            Datacenter = config.Datacenter,
            CaFile = config.CaFile,
        };
        return config.RequestTimeout is { } timeout ? options with { RequestTimeout = timeout } : options;
    }

    private static async Task<string?> ReadTokenAsync(string file, string key, List<ConfigError> errors, CancellationToken cancellationToken)
    {
        try
        {
            var token = (await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false)).Trim();
            if (token.Length == 0)
            {
                errors.Add(new ConfigError(key, $"token file {file} is empty"));
            }

            return token;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            errors.Add(new ConfigError(key, $"cannot read token file {file}: {error.Message}"));
            return null;
        }
    }

    private static void CheckAuthority(string file, string key, List<ConfigError> errors)
    {
        byte[] content;
        try
        {
            content = File.ReadAllBytes(file);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            errors.Add(new ConfigError(key, $"cannot read CA file {file}: {error.Message}"));
            return;
        }

        try
        {
            using var authority = X509CertificateLoader.LoadCertificate(content);
        }
        catch (CryptographicException error)
        {
            errors.Add(new ConfigError(key, $"{file} is not a certificate: {error.Message}"));
        }
    }
}
