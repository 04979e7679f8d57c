using System.Globalization;

namespace Discovery.Core.Postgres.Member;

/// <summary>
/// &lt;agent dataDir&gt;/postgres-&lt;cluster&gt;.generation: the last cluster generation this node started
/// postgres as primary in. Written before the start, so a primary that dies at any point is never
/// started as primary again by its own agent in the same generation — only a newer decision of the
/// failover leader (which may name this node again: "restart in place") brings it back.
/// </summary>
internal sealed class PrimaryGenerationFile(string path)
{
    public long Read()
    {
        try
        {
            return long.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var generation) ? generation : 0;
        }
        catch (FileNotFoundException)
        {
            return 0;
        }
    }

    public void Write(long generation)
    {
        var temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            file.Write(System.Text.Encoding.ASCII.GetBytes(generation.ToString(CultureInfo.InvariantCulture)));
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
