using System.Text.RegularExpressions;
using Discovery.Testing.Labs;

namespace Discovery.Cli.Tests.VmLab;

/// <summary>
/// No drift between the labs: the VM lab's provisioning uses exactly the shared files in
/// <see cref="SharedLabFiles"/> (the local lab asserts the same list), and every one exists.
/// </summary>
public sealed partial class ProvisioningDriftTests
{
    public static TheoryData<string> SharedFiles() => VmLabFiles.AsTheoryData(SharedLabFiles.All.Concat(SharedLabFiles.VmLabOnly));

    [Fact]
    public void Provisioning_SharedFileReferences_AreExactlySharedLabFiles()
    {
        var referenced = ReferencedSharedFiles();

        var expected = SharedLabFiles.All.Concat(SharedLabFiles.VmLabOnly).Order(StringComparer.Ordinal);
        Assert.Equal(expected, referenced.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(SharedFiles))]
    public void SharedLabFile_Listed_ExistsInRepository(string sharedFile)
    {
        Assert.True(
            File.Exists(VmLabFiles.FullPath(sharedFile)) || Directory.Exists(VmLabFiles.FullPath(sharedFile)),
            $"{sharedFile} is used by the labs (referenced from {string.Join(", ", ReferencedSharedFiles().GetValueOrDefault(sharedFile) ?? [])}) but does not exist");
    }

    [Fact]
    public void Provisioning_EveryInstalledUnit_ExistsAndEveryUnitIsInstalled()
    {
        var installed = VmLabFiles.ShellScripts()
            .SelectMany(script => File.ReadAllLines(VmLabFiles.FullPath(script)).Where(line => !line.TrimStart().StartsWith('#')))
            .SelectMany(line => InstallUnit().Matches(line))
            .Select(match => "vagrant/systemd/" + match.Groups["unit"].Value)
            .ToHashSet(StringComparer.Ordinal);
        var shipped = VmLabFiles.AllVagrantFiles().Where(path => path.StartsWith("vagrant/systemd/", StringComparison.Ordinal));

        Assert.Equal(shipped.Order(StringComparer.Ordinal), installed.Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// Shared paths the VM lab's code uses ("$REPO/consul/…" or "/vagrant/nginx-templates/…"),
    /// keyed by path, with the files that use them. Comment lines are prose, not use: skipped.
    /// </summary>
    private static Dictionary<string, List<string>> ReferencedSharedFiles()
    {
        var references = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var file in VmLabFiles.AllVagrantFiles().Append("Vagrantfile"))
        {
            var code = File.ReadAllLines(VmLabFiles.FullPath(file))
                .Where(line => !line.TrimStart().StartsWith('#'));
            foreach (Match match in SharedPath().Matches(string.Join('\n', code)))
            {
                var path = match.Groups["path"].Value;
                if (!references.TryGetValue(path, out var users))
                {
                    references[path] = users = [];
                }

                users.Add(file);
            }
        }

        return references;
    }

    [GeneratedRegex(@"(?:\$REPO|\$\{REPO\}|/vagrant)/(?<path>(?:consul|nginx-templates)/[A-Za-z0-9_./-]*[A-Za-z0-9_])")]
    private static partial Regex SharedPath();

    [GeneratedRegex(@"install_unit\s+(?<unit>[A-Za-z0-9_.@-]+)")]
    private static partial Regex InstallUnit();
}
