namespace WebStudio.Data;

/// <summary>
/// What a role may do and how much, set by an administrator. Null limits mean "no limit of its own" (the queue's
/// configured figures still hold for queued jobs and submissions per minute). A user's <see cref="UserQuota"/>
/// overrides the quotas.
/// </summary>
public sealed class RolePolicy
{
    /// <summary>The Identity role's name (<see cref="StudioRoles"/>).</summary>
    public string Role { get; set; } = "";

    public bool CanGenerate { get; set; } = true;

    /// <summary>Model names, one per line; empty allows every model.</summary>
    public string AllowedModels { get; set; } = "";

    /// <summary>The largest width or height, in pixels.</summary>
    public int? MaxSide { get; set; }

    public int? MaxSteps { get; set; }

    public int? MaxBatch { get; set; }

    public bool CanUseApi { get; set; } = true;

    public bool CanShare { get; set; } = true;

    public bool CanUpscale { get; set; } = true;

    public int? ImagesPerDay { get; set; }

    public int? GpuSecondsPerDay { get; set; }

    public int? MaxQueued { get; set; }

    public int? SubmissionsPerMinute { get; set; }
}
