using Discovery.Core.Rendering.Catalog;

namespace Discovery.Core.Tests.Rendering.Catalog;

/// <summary>The allow-lists values from Consul must pass before a template can print them (issue 12).</summary>
public sealed class CatalogValueRulesTests
{
    [Theory]
    [InlineData("127.0.0.21", true)]
    [InlineData("192.168.56.11", true)]
    [InlineData("::1", true)]
    [InlineData("fd00::5", true)]
    [InlineData("::ffff:10.0.0.1", true)]
    [InlineData("web1.example.internal", true)]
    [InlineData("localhost", true)]
    [InlineData("a-b.c", true)]
    [InlineData("", false)]
    [InlineData("127.0.0.01", false)]
    [InlineData("256.0.0.1", false)]
    [InlineData("1.2.3", false)]
    [InlineData("[::1]", false)]
    [InlineData("fe80::1%eth0", false)]
    [InlineData("-host", false)]
    [InlineData("host-", false)]
    [InlineData("host..name", false)]
    [InlineData("host_name", false)]
    [InlineData("127.0.0.1\n", false)]
    [InlineData("127.0.0.1;", false)]
    [InlineData("127.0.0.1 backup", false)]
    [InlineData("127.0.0.1:80", false)]
    [InlineData("a{b}", false)]
    [InlineData("a#b", false)]
    [InlineData("\"a\"", false)]
    public void Address_Value_ValidOnlyForIpLiteralsAndHostNames(string value, bool valid) =>
        Assert.Equal(valid, CatalogValueRules.Address("address", value) is null);

    [Fact]
    public void Address_LabelLongerThan63OrNameLongerThan253_Invalid()
    {
        Assert.NotNull(CatalogValueRules.Address("address", new string('a', 64) + ".example"));
        Assert.Null(CatalogValueRules.Address("address", new string('a', 63) + ".example"));
        Assert.NotNull(CatalogValueRules.Address("address", string.Join('.', Enumerable.Repeat(new string('a', 63), 4)) + ".b"));
    }

    [Theory]
    [InlineData("web", true)]
    [InlineData("web-node-1-9000", true)]
    [InlineData("my_app.v2", true)]
    [InlineData("Admin", true)]
    [InlineData("", false)]
    [InlineData("-web", false)]
    [InlineData(".web", false)]
    [InlineData("web\n", false)]
    [InlineData("web;", false)]
    [InlineData("web app", false)]
    [InlineData("web{", false)]
    [InlineData("web}", false)]
    [InlineData("web#", false)]
    [InlineData("'web'", false)]
    [InlineData("w\u00e9b", false)]
    [InlineData("web/1", false)]
    public void Name_Value_ValidOnlyForStrictCharacterClass(string value, bool valid) =>
        Assert.Equal(valid, CatalogValueRules.Name("name", value) is null);

    [Fact]
    public void Name_LongerThan128_Invalid()
    {
        Assert.Null(CatalogValueRules.Name("name", new string('a', 128)));
        Assert.NotNull(CatalogValueRules.Name("name", new string('a', 129)));
    }

    [Theory]
    [InlineData("discovery", true)]
    [InlineData("v1.0.0-rc1", true)]
    [InlineData("primary", true)]
    [InlineData("k=v", true)]
    [InlineData("", false)]
    [InlineData("a b", false)]
    [InlineData("a;b", false)]
    [InlineData("a\nb", false)]
    [InlineData("#a", false)]
    [InlineData("a,b", false)]
    public void Tag_Value_ValidOnlyForStrictCharacterClass(string value, bool valid) =>
        Assert.Equal(valid, CatalogValueRules.Tag(value) is null);

    [Theory]
    [InlineData("version", "1.0.0", true)]
    [InlineData("started", "2026-11-26T00:54:26.1234567Z", true)]
    [InlineData("stub_status", "http://127.0.0.5:8090/nginx_status", true)]
    [InlineData("apps", "todo,web", true)]
    [InlineData("final-lsn", "0/3000060", true)]
    [InlineData("empty", "", true)]
    [InlineData("version", "1;\n}", false)]
    [InlineData("version", "\"q\"", false)]
    [InlineData("version", "a b", false)]
    [InlineData("bad key", "1", false)]
    public void Meta_Pair_ValidOnlyForStrictCharacterClasses(string key, string value, bool valid) =>
        Assert.Equal(valid, CatalogValueRules.Meta(key, value) is null);

    [Fact]
    public void Quote_ControlCharactersAndLongValues_EscapedAndCut()
    {
        Assert.Equal("\"a\\x0ab\"", CatalogValueRules.Quote("a\nb"));
        Assert.Equal("\"" + new string('x', 80) + "…\"", CatalogValueRules.Quote(new string('x', 100)));
    }
}
