namespace WebStudio.Studio.Editing;

public enum EditSourceKind
{
    /// <summary>A finished image of the user's history (galleries hold history images too).</summary>
    Image,
    Upload,
}

/// <summary>Where an edit starts, written "image:{id}" or "upload:{id}" in requests and pages.</summary>
public readonly record struct EditSource(EditSourceKind Kind, Guid Id)
{
    public static EditSource FromImage(Guid imageId) => new(EditSourceKind.Image, imageId);

    public static EditSource FromUpload(Guid uploadId) => new(EditSourceKind.Upload, uploadId);

    public static bool TryParse(string? text, out EditSource source)
    {
        source = default;
        var parts = (text ?? "").Split(':', 2);
        if (parts.Length != 2 || !Guid.TryParse(parts[1], out var id))
        {
            return false;
        }

        switch (parts[0])
        {
            case "image":
                source = FromImage(id);
                return true;
            case "upload":
                source = FromUpload(id);
                return true;
            default:
                return false;
        }
    }

    /// <summary>The URL the browser shows the source from (both endpoints check the owner).</summary>
    public string Url => Kind == EditSourceKind.Image ? $"/api/images/{Id}" : $"/api/uploads/{Id}";

    public override string ToString() => $"{(Kind == EditSourceKind.Image ? "image" : "upload")}:{Id}";
}
