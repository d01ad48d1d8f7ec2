namespace WebStudio.Data;

/// <summary>
/// A user's key for the OpenAI-compatible API. Only the SHA-256 of the key is stored; the key itself is shown once,
/// when it is created. <see cref="Prefix"/> (the first characters) lets the owner tell keys apart in the list.
/// </summary>
public sealed class ApiKey
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public string OwnerId { get; set; } = "";
    public StudioUser? Owner { get; set; }

    public string Name { get; set; } = "";

    /// <summary>Lower-case hex SHA-256 of the whole key.</summary>
    public string Hash { get; set; } = "";

    /// <summary>The start of the key, e.g. "ws-AbC12345", shown in the list.</summary>
    public string Prefix { get; set; } = "";

    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;

    public DateTime? LastUsedAt { get; set; }

    /// <summary>Set when revoked; a revoked key is refused from then on and stays listed as revoked.</summary>
    public DateTime? RevokedAt { get; set; }
}
