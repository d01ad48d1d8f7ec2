namespace WebStudio.Data;

/// <summary>
/// One administrative action. Append-only: the studio only ever inserts, and the database refuses updates and
/// deletes (a trigger on each provider). Names are copied, not referenced, so an entry outlives the accounts it names.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public DateTime At { get; set; }

    public string ActorId { get; set; } = "";

    public string ActorName { get; set; } = "";

    /// <summary>What was done, e.g. "user.disable" (<c>AuditActions</c> in the studio).</summary>
    public string Action { get; set; } = "";

    /// <summary>Whom or what it was done to, in words (an e-mail, a role, a job id).</summary>
    public string Target { get; set; } = "";

    public string Details { get; set; } = "";
}
