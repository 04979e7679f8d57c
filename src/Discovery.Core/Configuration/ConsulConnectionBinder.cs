namespace Discovery.Core.Configuration;

/// <summary>Binds the <c>consul:</c> map that the node, scaler and renderer config files share.</summary>
internal static class ConsulConnectionBinder
{
    /// <summary>The connection a <c>consul:</c> map describes (absent map: <see cref="ConsulConnectionConfig.Default"/>); relative files resolve against <paramref name="baseDirectory"/>.</summary>
    public static ConsulConnectionConfig Bind(ConfigMapReader? consul, string baseDirectory)
    {
        if (consul is null)
        {
            return ConsulConnectionConfig.Default;
        }

        var address = ConsulConnectionConfig.DefaultAddress;
        var addressText = consul.OptionalString("address");
        if (addressText is not null)
        {
            // A file names the scheme: unlike the CLI's --consul, "host:port" is not guessed here.
            if (Uri.TryCreate(addressText, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https")
            {
                address = parsed;
            }
            else
            {
                consul.AddError("address", $"\"{addressText}\" is not an http:// or https:// address");
            }
        }

        var token = consul.OptionalString("token");
        var tokenFile = consul.OptionalString("tokenFile");
        if (token is not null && tokenFile is not null)
        {
            consul.AddError("tokenFile", "give either token or tokenFile, not both");
        }

        var datacenter = consul.OptionalString("datacenter");
        var caFile = consul.OptionalString("caFile");
        TimeSpan? requestTimeout = consul.Node("requestTimeout").Kind == ConfigNodeKind.Null
            ? null
            : consul.Duration("requestTimeout", TimeSpan.FromSeconds(5));
        consul.ReportUnknownKeys();
        return new ConsulConnectionConfig(
            address,
            token,
            tokenFile is null ? null : Path.GetFullPath(tokenFile, baseDirectory),
            datacenter,
            caFile is null ? null : Path.GetFullPath(caFile, baseDirectory),
            requestTimeout);
    }
}
