using Discovery.Core.NodeAgent.State;
using Discovery.Core.Tests.TestSupport;

namespace Discovery.Core.Tests.NodeAgent.State;

public sealed class InstanceStateFileTests
{
    private static readonly InstanceRecord Web = new("web", "web-n1-9000", 9000, 4242, 123456, "/data/logs/web-n1-9000.log", new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));

    [Fact]
    public void Save_ThenLoad_RoundTripsAndLeavesNoTempFile()
    {
        using var scope = new ProcessTestScope();
        var path = scope.PathOf("state/instances.json");

        InstanceStateFile.Save(path, [Web, Web with { InstanceId = "web-n1-9001", Port = 9001 }]);

        Assert.Equal([Web, Web with { InstanceId = "web-n1-9001", Port = 9001 }], InstanceStateFile.Load(path));
        Assert.Equal(["instances.json"], Directory.GetFiles(scope.PathOf("state")).Select(Path.GetFileName));
    }

    [Fact]
    public void Save_AnyUmask_FileIsOwnerOnly()
    {
        using var scope = new ProcessTestScope();
        var path = scope.PathOf("state/instances.json");

        InstanceStateFile.Save(path, [Web]);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, new FileInfo(path).UnixFileMode);
    }

    [Fact]
    public void Load_MissingFile_IsEmpty()
    {
        using var scope = new ProcessTestScope();

        Assert.Empty(InstanceStateFile.Load(scope.PathOf("instances.json")));
    }

    [Fact]
    public void Load_CorruptFile_IsMovedAsideAndEmpty()
    {
        using var scope = new ProcessTestScope();
        File.WriteAllText(scope.PathOf("instances.json"), "[{ not json");

        Assert.Empty(InstanceStateFile.Load(scope.PathOf("instances.json")));
        Assert.True(File.Exists(scope.PathOf("instances.json.corrupt")));
    }

    [Fact]
    public void InstanceStateStore_Changes_ArePersistedImmediately()
    {
        using var scope = new ProcessTestScope();
        var path = scope.PathOf("instances.json");
        var store = InstanceStateStore.Open(path, TimeProvider.System);

        store.Upsert(Web);
        store.Upsert(Web with { Pid = 5000 });
        Assert.Equal([Web with { Pid = 5000 }], InstanceStateFile.Load(path));

        store.Remove(Web.InstanceId);
        Assert.Empty(InstanceStateStore.Open(path, TimeProvider.System).Records);
    }
}
