namespace WebStudio.Data;

/// <summary>
/// The newest preview of a running job, written by the process that runs it (a few times a second at most) so that
/// studio views connected to another process sharing the database see the image form too. Gone when the job ends.
/// </summary>
public sealed class JobPreview
{
    public Guid JobId { get; set; }

    /// <summary>Finished steps (1..TotalSteps).</summary>
    public int Step { get; set; }

    public int TotalSteps { get; set; }

    /// <summary>The preview PNG, at latent resolution.</summary>
    public byte[] Png { get; set; } = [];

    public DateTime UpdatedAt { get; set; }
}
