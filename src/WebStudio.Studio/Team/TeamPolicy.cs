using WebStudio.Data;

namespace WebStudio.Studio.Team;

/// <summary>The quotas that hold for one user: the role's, each overridden by the user's own where set. Null: none.</summary>
public sealed record Quotas(int? ImagesPerDay, int? GpuSecondsPerDay, int? MaxQueued, int? SubmissionsPerMinute)
{
    public static Quotas Of(RolePolicy role, UserQuota? user) => new(
        user?.ImagesPerDay ?? role.ImagesPerDay,
        user?.GpuSecondsPerDay ?? role.GpuSecondsPerDay,
        user?.MaxQueued ?? role.MaxQueued,
        user?.SubmissionsPerMinute ?? role.SubmissionsPerMinute);
}

/// <summary>What one user may do now: their role's permissions and their quotas, read from the database.</summary>
public sealed record TeamPolicy(string Role, RolePolicy Permissions, Quotas Quotas)
{
    public bool IsAdmin => Role == StudioRoles.Admin;

    public bool CanGenerate => Permissions.CanGenerate;

    public bool CanUseApi => Permissions.CanUseApi && CanGenerate;

    public bool CanShare => Permissions.CanShare;

    public bool CanUpscale => Permissions.CanUpscale && CanGenerate;

    /// <summary>The models the role may use; empty: every model.</summary>
    public IReadOnlyList<string> AllowedModels => ModelList(Permissions.AllowedModels);

    public bool AllowsModel(string model) => AllowedModels is not { Count: > 0 } allowed || allowed.Contains(model, StringComparer.Ordinal);

    public static IReadOnlyList<string> ModelList(string text) =>
        text.Split(['\n', ',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
