namespace WebStudio.Data;

/// <summary>
/// The studio's roles, kept as ASP.NET Identity roles (so sign-in from elsewhere can map to them by name). "Admin"
/// keeps its old name so existing databases keep their administrator; an account in no role counts as a Member.
/// </summary>
public static class StudioRoles
{
    public const string Admin = "Admin";
    public const string Member = "Member";
    public const string Viewer = "Viewer";

    public static readonly IReadOnlyList<string> All = [Admin, Member, Viewer];

    /// <summary>The name shown to people (the stored name of the administrator's role is "Admin").</summary>
    public static string DisplayName(string role) => role == Admin ? "Administrator" : role;
}
