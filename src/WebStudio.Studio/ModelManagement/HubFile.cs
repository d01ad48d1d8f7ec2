namespace WebStudio.Studio.ModelManagement;

/// <summary>A file of a Hub repository: its path in the repository, its size, and the SHA-256 of an LFS file.</summary>
public sealed record HubFile(string Path, long Size, string? Sha256);

/// <summary>A repository's files at one commit, with the path they are listed under stripped.</summary>
public sealed record HubListing(string Repo, string Revision, string Commit, IReadOnlyList<HubFile> Files, string Subfolder);
