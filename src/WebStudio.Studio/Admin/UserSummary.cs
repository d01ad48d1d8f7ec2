using WebStudio.Studio.Team;

namespace WebStudio.Studio.Admin;

/// <summary>One row of the administrator's user list; <see cref="Override"/>: the user's own quotas where any is set
/// (a null field takes the role's), else null.</summary>
public sealed record UserSummary(
    string Id, string Name, string Role, bool Disabled, int Images, double GpuSeconds, DateTime CreatedAt, DateTime? LastActivity,
    Quotas? Override = null);

/// <summary>Why an administrative change was refused (in words for the administrator), or null when it was made.</summary>
public sealed record AdminOutcome(bool Done, string? Problem, bool NotFound = false)
{
    public static readonly AdminOutcome Ok = new(true, null);

    public static readonly AdminOutcome Missing = new(false, "no such user", NotFound: true);

    public static AdminOutcome Refused(string problem) => new(false, problem);
}
