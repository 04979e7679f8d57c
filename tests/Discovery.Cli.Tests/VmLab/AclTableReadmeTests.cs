namespace Discovery.Cli.Tests.VmLab;

/// <summary>
/// README.md's "Who can do what" table is <see cref="AclTable"/>, the table the ACL tests run
/// against real Consul, never a hand-written claim. After changing the table, regenerate the README
/// block with <c>DISCOVERY_UPDATE_README=1 dotnet test tests/Discovery.Cli.Tests --filter AclTableReadmeTests</c>.
/// </summary>
public sealed class AclTableReadmeTests
{
    public const string Begin = "<!-- acl-table:begin — generated from tests/Discovery.Cli.Tests/VmLab/AclTable.cs, do not edit -->";
    public const string End = "<!-- acl-table:end -->";

    [Fact]
    public void Readme_WhoCanDoWhatTable_IsTheTestedAclTable()
    {
        var readmePath = VmLabFiles.FullPath("README.md");
        var readme = File.ReadAllText(readmePath);
        var start = readme.IndexOf(Begin, StringComparison.Ordinal);
        var end = readme.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"README.md has no block between \"{Begin}\" and \"{End}\"");

        var expected = "\n" + AclTable.ToMarkdown();
        var actual = readme[(start + Begin.Length)..end];
        if (actual != expected && Environment.GetEnvironmentVariable("DISCOVERY_UPDATE_README") == "1")
        {
            File.WriteAllText(readmePath, readme[..(start + Begin.Length)] + expected + readme[end..]);
            return;
        }

        Assert.True(actual == expected, "README.md's ACL table differs from AclTable.Rows; regenerate it (see this test's summary). Expected:\n" + expected);
    }
}
