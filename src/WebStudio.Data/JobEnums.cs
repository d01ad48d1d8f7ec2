namespace WebStudio.Data;

/// <summary>What a job makes. Stored as text, so later kinds add values without a migration.</summary>
public enum JobKind
{
    Txt2Img,
    Img2Img,
    Inpaint,
    Upscale,
    Outpaint,
    HiresFix,

    /// <summary>An instruction edit (InstructPix2Pix): the prompt says how the input image changes.</summary>
    InstructEdit,
}

/// <summary>
/// The life of a job: Queued → Running → Succeeded | Failed | Canceled (Running → Queued again after a crash). An
/// administrator may hold a queued job (Queued → Held → Queued): it keeps its place in the order, and no worker takes it.
/// </summary>
public enum JobStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Canceled,
    Held,
}

/// <summary>Where a job was submitted.</summary>
public enum JobSource
{
    Studio,
    Api,
}
