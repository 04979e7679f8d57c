using System.Text;

namespace Discovery.Consul.Http;

/// <summary>Builds a query string; parameters with a null value are left out, "" means a bare flag.</summary>
internal sealed class QueryString
{
    private readonly List<(string Name, string? Value)> _parameters = [];

    public QueryString Add(string name, string? value)
    {
        if (value is not null)
        {
            _parameters.Add((name, value));
        }

        return this;
    }

    public QueryString Flag(string name, bool on) => on ? Add(name, "") : this;

    public override string ToString()
    {
        if (_parameters.Count == 0)
        {
            return "";
        }

        var builder = new StringBuilder("?");
        foreach (var (name, value) in _parameters)
        {
            if (builder.Length > 1)
            {
                builder.Append('&');
            }

            builder.Append(Uri.EscapeDataString(name));
            if (value!.Length > 0)
            {
                builder.Append('=').Append(Uri.EscapeDataString(value));
            }
        }

        return builder.ToString();
    }
}
