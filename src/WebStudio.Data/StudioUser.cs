using Microsoft.AspNetCore.Identity;

namespace WebStudio.Data;

/// <summary>An account of the studio. Its Identity role (<see cref="StudioRoles"/>) says what it may do; a disabled
/// account is locked out until the far future (<see cref="DisabledUntil"/>).</summary>
public sealed class StudioUser : IdentityUser
{
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;

    /// <summary>The lockout end that marks a disabled account (far enough never to pass; PostgreSQL-safe, unlike MaxValue).</summary>
    public static readonly DateTimeOffset DisabledUntil = new(9999, 1, 1, 0, 0, 0, TimeSpan.Zero);
}
