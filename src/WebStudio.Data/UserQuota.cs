namespace WebStudio.Data;

/// <summary>One user's quotas where they differ from their role's; a null field takes the role's figure.</summary>
public sealed class UserQuota
{
    public string UserId { get; set; } = "";

    public int? ImagesPerDay { get; set; }

    public int? GpuSecondsPerDay { get; set; }

    public int? MaxQueued { get; set; }

    public int? SubmissionsPerMinute { get; set; }
}
