namespace WebStudio.Studio.ModelManagement;

/// <summary>How many bytes may still be written on the disk holding a folder (injectable, so that a full disk can be
/// simulated in tests).</summary>
public interface IFreeSpaceProbe
{
    long AvailableBytes(string folder);
}

/// <summary>The drive's free space for the current user, as the file system reports it.</summary>
public sealed class DriveFreeSpace : IFreeSpaceProbe
{
    /// <summary>Asked of the folder's nearest existing ancestor: DriveInfo cannot find the drive of a path that does
    /// not exist yet (a models folder before its first install).</summary>
    public long AvailableBytes(string folder)
    {
        var existing = Path.GetFullPath(folder);
        while (!Directory.Exists(existing) && Path.GetDirectoryName(existing) is { } parent)
        {
            existing = parent;
        }

        return new DriveInfo(existing).AvailableFreeSpace;
    }
}
