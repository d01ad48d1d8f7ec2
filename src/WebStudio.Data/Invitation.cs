namespace WebStudio.Data;

/// <summary>
/// A one-time registration link made by an administrator while registration is closed. Only the SHA-256 of its
/// token is stored; the link is shown once. Used (or expired) links are refused.
/// </summary>
public sealed class Invitation
{
    public Guid Id { get; set; } = Guid.NewGuid();

    /// <summary>Lower-case hex SHA-256 of the token.</summary>
    public string TokenHash { get; set; } = "";

    /// <summary>The role the new account gets.</summary>
    public string Role { get; set; } = StudioRoles.Member;

    public string CreatedById { get; set; } = "";

    public DateTime CreatedAt { get; set; }

    public DateTime ExpiresAt { get; set; }

    public DateTime? UsedAt { get; set; }

    public string? UsedByUserId { get; set; }
}
