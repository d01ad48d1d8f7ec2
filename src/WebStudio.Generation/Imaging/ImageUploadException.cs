namespace WebStudio.Generation.Imaging;

/// <summary>
/// An uploaded image or mask that is refused. <see cref="Exception.Message"/> is safe to show the user;
/// <see cref="Code"/> is one of the constants below, for APIs and tests.
/// </summary>
public sealed class ImageUploadException : Exception
{
    public const string Empty = "empty";
    public const string UnsupportedFormat = "unsupported_format";
    public const string TooLarge = "too_large";
    public const string TooManyPixels = "too_many_pixels";
    public const string Corrupt = "corrupt";
    public const string MaskSizeMismatch = "mask_size_mismatch";

    public ImageUploadException(string code, string message, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
    }

    public string Code { get; }
}
