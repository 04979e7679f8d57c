using System.Text;

namespace Discovery.WebApp.Settings;

/// <summary>The text printed for <c>--help</c> and after bad arguments.</summary>
internal static class UsageText
{
    public static string Render()
    {
        var text = new StringBuilder()
            .AppendLine("usage: Discovery.WebApp --port <n> [options]")
            .AppendLine()
            .AppendLine("A sample web app: GET / returns who answered (JSON, ?delay=<ms> simulates work),")
            .AppendLine("GET /health is 200 while serving and 503 while starting or draining.")
            .AppendLine("SIGTERM/SIGINT drain in-flight requests, then exit 0.")
            .AppendLine()
            .AppendLine("options (a command-line value wins over its environment variable):");
        foreach (var option in KnownOptions.All)
        {
            text.AppendLine($"  {option.Flag + " " + option.ValueHint,-28} {option.EnvironmentVariable,-22} {option.Description}");
        }

        return text
            .AppendLine($"  {"--help",-28} {"",-22} show this text")
            .AppendLine()
            .AppendLine("exit codes: 0 stopped cleanly, 1 could not start (e.g. port in use), 2 bad arguments")
            .ToString();
    }
}
