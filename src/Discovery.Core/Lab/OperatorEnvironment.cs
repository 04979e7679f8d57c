namespace Discovery.Core.Lab;

/// <summary>
/// The lab's operator.env: CONSUL_HTTP_ADDR and CONSUL_HTTP_TOKEN_FILE as shell `export` lines, so
/// `source .lab/local/operator.env` works for the consul CLI too, and `agent` commands read it when
/// no address or token is given. The token itself stays in its own 0600 file.
/// </summary>
internal sealed record OperatorEnvironment(Uri Address, string TokenFile)
{
    public const string FileName = "operator.env";

    public static bool TryLoad(string stateDirectory, out OperatorEnvironment environment)
    {
        environment = null!;
        var path = Path.Combine(stateDirectory, FileName);
        if (!File.Exists(path))
        {
            return false;
        }

        string? address = null;
        string? tokenFile = null;
        foreach (var rawLine in File.ReadAllLines(path))
        {
            var line = rawLine.Trim();
            if (line.StartsWith("export ", StringComparison.Ordinal))
            {
                line = line["export ".Length..];
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            var value = line[(equals + 1)..].Trim('"', '\'');
            switch (line[..equals])
            {
                case "CONSUL_HTTP_ADDR":
                    address = value;
                    break;
                case "CONSUL_HTTP_TOKEN_FILE":
                    tokenFile = value;
                    break;
            }
        }

        if (address is null || tokenFile is null || !Uri.TryCreate(address, UriKind.Absolute, out var uri))
        {
            return false;
        }

        environment = new OperatorEnvironment(uri, tokenFile);
        return true;
    }

    public void Write(string stateDirectory)
    {
        Directory.CreateDirectory(stateDirectory);
        File.WriteAllText(
            Path.Combine(stateDirectory, FileName),
            "# Written by `agent lab up`. `source` it to point the consul CLI at the lab as the operator.\n" +
            $"export CONSUL_HTTP_ADDR=\"{Address.GetLeftPart(UriPartial.Authority)}\"\n" +
            $"export CONSUL_HTTP_TOKEN_FILE=\"{TokenFile}\"\n");
    }
}
