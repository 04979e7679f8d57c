namespace Discovery.Cli.Options;

/// <summary>Console log rendering: readable lines for people, one JSON object per line for machines.</summary>
internal enum LogFormat
{
    Text,
    Json,
}
