namespace WebStudio.Data;

/// <summary>Per-user fairness state: when the user was last served, and the round of that job (the highest round
/// served over all users is the round being served now).</summary>
public sealed class UserQueueState
{
    public string UserId { get; set; } = "";

    public DateTime LastServedAt { get; set; }

    public long LastServedRound { get; set; }
}
