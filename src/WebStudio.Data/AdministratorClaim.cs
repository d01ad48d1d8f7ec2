namespace WebStudio.Data;

/// <summary>
/// Who became the administrator: the first account. At most one row can ever exist, because its key is fixed, so
/// of any number of registrations racing to be first — in one process or in several sharing the database — the
/// database lets exactly one claim through.
/// </summary>
public sealed class AdministratorClaim
{
    /// <summary>The key of the only row.</summary>
    public const int OnlyId = 1;

    public int Id { get; set; } = OnlyId;

    public string UserId { get; set; } = "";
    public StudioUser? User { get; set; }
}
