namespace WebStudio.Studio.Storage;

/// <summary>A finished job's image could not be written to the image store (a full disk, a shared volume away): the
/// job fails with its own reason (<see cref="Queue.JobFailureReason"/>), the file system's error inside.</summary>
public sealed class ImageSaveException(Exception inner) : IOException("an image could not be written to the image store: " + inner.Message, inner);
