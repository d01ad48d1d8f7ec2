namespace WebStudio.Studio.ModelManagement;

/// <summary>What an install is doing: its stage, the file in hand, and the bytes done of all it must write.</summary>
public sealed record ModelInstallProgress(string Model, ModelInstallStage Stage, long BytesDone, long BytesTotal, string? File = null, string? Error = null)
{
    /// <summary>0–1; 0 while the total is unknown.</summary>
    public double Fraction => BytesTotal > 0 ? Math.Clamp((double)BytesDone / BytesTotal, 0, 1) : 0;

    public bool Finished => Stage is ModelInstallStage.Installed or ModelInstallStage.Failed;
}

public enum ModelInstallStage
{
    Listing,
    Downloading,
    Verifying,
    Copying,
    Installed,
    Failed,
}
