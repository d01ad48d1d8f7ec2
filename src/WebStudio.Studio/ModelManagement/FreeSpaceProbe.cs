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
    public long AvailableBytes(string folder) => new DriveInfo(Path.GetFullPath(folder)).AvailableFreeSpace;
}
