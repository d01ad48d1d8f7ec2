namespace WebStudio.Data;

/// <summary>Per-user fairness state: the round-robin queue serves next the user served least recently.</summary>
public sealed class UserQueueState
{
    public string UserId { get; set; } = "";

    public DateTime LastServedAt { get; set; }
}
