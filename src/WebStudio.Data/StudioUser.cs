using Microsoft.AspNetCore.Identity;

namespace WebStudio.Data;

/// <summary>An account of the studio. Role "Admin" marks the administrator (the first account registered).</summary>
public sealed class StudioUser : IdentityUser
{
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
}
