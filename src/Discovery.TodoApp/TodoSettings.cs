using System.Net;

namespace Discovery.TodoApp;

/// <summary>Command-line settings (each <c>--name value</c>); every problem is listed before the app starts.</summary>
internal sealed record TodoSettings(IPEndPoint EndPoint, Uri Consul, string? ConsulToken, string Cluster, string Database, string User, string Password)
{
    public static TodoSettings Parse(string[] args, out List<string> problems)
    {
        var errors = new List<string>();
        problems = errors;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                errors.Add($"unexpected argument '{args[i]}' (use --name value)");
                continue;
            }

            values[args[i][2..]] = args[++i];
        }

        string Get(string name, string? fallback = null)
        {
            if (values.Remove(name, out var value))
            {
                return value;
            }

            if (fallback is null)
            {
                errors.Add($"--{name} is required");
            }

            return fallback ?? "";
        }

        var port = Get("port");
        var address = Get("address", "127.0.0.1");
        var consul = Get("consul", "http://127.0.0.1:8500");
        var tokenFile = Get("consul-token-file", "");
        var cluster = Get("cluster", "pg");
        var database = Get("database", "todo");
        var user = Get("user", "todo");
        var passwordFile = Get("password-file");
        errors.AddRange(values.Keys.Select(unknown => $"unknown option --{unknown}"));
        if (!int.TryParse(port, out var portNumber) || portNumber is < 1 or > 65535)
        {
            errors.Add($"--port '{port}' is not a port");
        }

        if (!IPAddress.TryParse(address, out var ip))
        {
            errors.Add($"--address '{address}' is not an IP address");
        }

        if (!Uri.TryCreate(consul, UriKind.Absolute, out var consulUri))
        {
            errors.Add($"--consul '{consul}' is not a URL");
        }

        // A file that is given must say something: an empty token would silently mean "anonymous".
        string Read(string path, string what)
        {
            try
            {
                var value = path.Length == 0 ? "" : File.ReadLines(path).FirstOrDefault()?.Trim() ?? "";
                if (path.Length > 0 && value.Length == 0)
                {
                    errors.Add($"{what} {path} is empty");
                }

                return value;
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                errors.Add($"cannot read {what} {path}: {error.Message}");
                return "";
            }
        }

        var token = Read(tokenFile, "--consul-token-file");
        var password = Read(passwordFile, "--password-file");
        return new TodoSettings(new IPEndPoint(ip ?? IPAddress.Loopback, portNumber), consulUri ?? new Uri("http://127.0.0.1:8500"),
            token.Length == 0 ? null : token, cluster, database, user, password);
    }
}
