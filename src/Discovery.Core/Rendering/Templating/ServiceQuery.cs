using System.Text;
using System.Text.RegularExpressions;

namespace Discovery.Core.Rendering.Templating;

/// <summary>
/// One health-service query as consul-template spells it: <c>[tag.]name[|filter[,filter…]]</c>.
/// A record so that equal queries are one dependency (one blocking query).
/// </summary>
/// <param name="Name">The service name.</param>
/// <param name="Tag">Only instances carrying this tag, or null for all.</param>
/// <param name="Filter">Accepted aggregated health statuses.</param>
internal sealed partial record ServiceQuery(string Name, string? Tag, ServiceHealthFilter Filter)
{
    /// <summary>
    /// True when only passing instances are wanted: the watcher can then ask Consul with
    /// <c>?passing</c> and let the server filter (what consul-template does too).
    /// </summary>
    public bool PassingOnly => Filter == ServiceHealthFilter.Passing;

    /// <summary>Whether an instance with this aggregated status belongs in the result.</summary>
    public bool Accepts(string status) => Filter == ServiceHealthFilter.Any || (StatusFlag(status) & Filter) != 0;

    /// <summary>Parses consul-template's query syntax; datacenter (<c>@dc</c>) and nearness (<c>~node</c>) are outside our subset.</summary>
    public static bool TryParse(string text, out ServiceQuery? query, out string? error)
    {
        query = null;
        var match = QuerySyntax().Match(text);
        if (!match.Success)
        {
            error = text.Contains('@') || text.Contains('~')
                ? $"service query \"{text}\": datacenter (@) and near (~) are not supported"
                : $"service query \"{text}\" is not [tag.]name[|filter,…]";
            return false;
        }

        var filter = ServiceHealthFilter.None;
        if (match.Groups["filter"].Success)
        {
            foreach (var part in match.Groups["filter"].Value.Split(','))
            {
                var trimmed = part.Trim();
                if (trimmed.Length == 0)
                {
                    continue;
                }

                var flag = trimmed == "any" ? ServiceHealthFilter.Any : StatusFlag(trimmed);
                if (flag == ServiceHealthFilter.None)
                {
                    error = $"service query \"{text}\": unknown health filter \"{trimmed}\" (use any, passing, warning, critical, maintenance)";
                    return false;
                }

                filter |= flag;
            }
        }

        query = new ServiceQuery(
            match.Groups["name"].Value,
            match.Groups["tag"].Success ? match.Groups["tag"].Value : null,
            filter == ServiceHealthFilter.None ? ServiceHealthFilter.Passing : filter);
        error = null;
        return true;
    }

    /// <summary>The query in template syntax, e.g. <c>discovery.web|passing</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        if (Tag is not null)
        {
            text.Append(Tag).Append('.');
        }

        text.Append(Name).Append('|');
        if (Filter == ServiceHealthFilter.Any)
        {
            return text.Append("any").ToString();
        }

        var first = true;
        foreach (var (flag, name) in FilterNames)
        {
            if ((Filter & flag) != 0)
            {
                text.Append(first ? "" : ",").Append(name);
                first = false;
            }
        }

        return text.ToString();
    }

    private static readonly (ServiceHealthFilter Flag, string Name)[] FilterNames =
    [
        (ServiceHealthFilter.Critical, "critical"),
        (ServiceHealthFilter.Maintenance, "maintenance"),
        (ServiceHealthFilter.Passing, "passing"),
        (ServiceHealthFilter.Warning, "warning"),
    ];

    private static ServiceHealthFilter StatusFlag(string status) => status switch
    {
        "passing" => ServiceHealthFilter.Passing,
        "warning" => ServiceHealthFilter.Warning,
        "critical" => ServiceHealthFilter.Critical,
        "maintenance" => ServiceHealthFilter.Maintenance,
        _ => ServiceHealthFilter.None,
    };

    // Same shape as consul-template's tag/name/filter expressions; the tag part is greedy, so
    // "a.b.web" is tag "a.b" and name "web".
    [GeneratedRegex(@"\A((?<tag>[\w=:.\-]+)\.)?(?<name>[\w\-]+)(\|(?<filter>[\w,]+))?\z", RegexOptions.CultureInvariant)]
    private static partial Regex QuerySyntax();
}
