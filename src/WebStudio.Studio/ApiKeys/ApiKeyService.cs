using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using WebStudio.Data;
using WebStudio.Studio.Team;

namespace WebStudio.Studio.ApiKeys;

/// <summary>A new key: the stored row and the key itself, which is shown once and never kept.</summary>
public sealed record CreatedApiKey(ApiKey Row, string Key);

/// <summary>
/// API keys: "ws-" followed by 256 random bits (base64url). Only the SHA-256 of the key is stored; a fast hash
/// is enough because the key is random, not a password a person chose.
/// </summary>
public sealed class ApiKeyService(IDbContextFactory<StudioDbContext> dbFactory, TimeProvider time, TeamPolicies policies)
{
    public const string KeyPrefix = "ws-";
    public const int MaxNameLength = 100;
    private const int PrefixShown = 11;

    public async Task<CreatedApiKey> CreateAsync(string userId, string name, CancellationToken cancellationToken = default)
    {
        name = (name ?? "").Trim();
        if (name.Length is 0 or > MaxNameLength)
        {
            throw new ArgumentException($"the key name must be 1 to {MaxNameLength} characters");
        }

        if (await policies.ForUserAsync(userId, cancellationToken) is { CanUseApi: false } policy)
        {
            throw new PermissionDeniedException($"the {policy.Role} role may not use the API");
        }

        var key = KeyPrefix + System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var row = new ApiKey
        {
            OwnerId = userId,
            Name = name,
            Hash = Hash(key),
            Prefix = key[..PrefixShown],
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.ApiKeys.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedApiKey(row, key);
    }

    /// <summary>The owner of <paramref name="key"/>, or null for an unknown or revoked key.</summary>
    public async Task<string?> AuthenticateAsync(string key, CancellationToken cancellationToken = default)
    {
        if (!key.StartsWith(KeyPrefix, StringComparison.Ordinal) || key.Length > 200)
        {
            return null;
        }

        var hash = Hash(key);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Hash == hash && k.RevokedAt == null, cancellationToken);
        if (row is null)
        {
            return null;
        }

        // Minute precision is enough for "last used" and spares a write on every request.
        var now = time.GetUtcNow().UtcDateTime;
        if (row.LastUsedAt is null || now - row.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            await db.ApiKeys.Where(k => k.Id == row.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), cancellationToken);
        }

        return row.OwnerId;
    }

    public async Task<IReadOnlyList<ApiKey>> ListAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var keys = await db.ApiKeys.AsNoTracking().Where(k => k.OwnerId == userId).ToListAsync(cancellationToken);
        return keys.OrderByDescending(k => k.CreatedAt).ToList();
    }

    /// <returns>false when the key is not the user's or was already revoked.</returns>
    public async Task<bool> RevokeAsync(string userId, Guid keyId, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.ApiKeys.Where(k => k.Id == keyId && k.OwnerId == userId && k.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, now), cancellationToken);
        return rows == 1;
    }

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
