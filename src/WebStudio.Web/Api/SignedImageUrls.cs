using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace WebStudio.Web.Api;

/// <summary>
/// URLs for <c>response_format=url</c>: the image id, format and expiry protected by Data Protection's time-limited
/// protector, whose key ring lives in the data folder (see Security/StudioDataProtection), so links survive restarts
/// and cannot be forged or extended. They expire after <see cref="Lifetime"/> and need no login.
/// </summary>
public sealed class SignedImageUrls(IDataProtectionProvider protection, TimeProvider time)
{
    public const string Route = "/v1/files/images";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(60);

    private readonly ITimeLimitedDataProtector _protector = protection.CreateProtector("WebStudio.Api.SignedImageUrls").ToTimeLimitedDataProtector();

    public string Create(HttpRequest request, Guid imageId, string format, int? compression)
    {
        var expires = time.GetUtcNow().Add(Lifetime);
        var query = Query(format, compression, expires.ToUnixTimeSeconds());
        var sig = _protector.Protect($"{imageId:N}?{query}", expires);
        return $"{request.Scheme}://{request.Host}{request.PathBase}{Route}/{imageId:N}?{query}&sig={sig}";
    }

    /// <summary>
    /// True when <paramref name="signature"/> is ours for exactly these values and has not expired. The expiry in the
    /// query is only for people to read: the protector checks its own, and a changed one no longer matches.
    /// </summary>
    public bool Verify(Guid imageId, string format, int? compression, long expires, string signature)
    {
        try
        {
            return _protector.Unprotect(signature, out _) == $"{imageId:N}?{Query(format, compression, expires)}";
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return false; // tampered, expired, or signed under a key the ring no longer has
        }
    }

    private static string Query(string format, int? compression, long expires) => string.Create(CultureInfo.InvariantCulture,
        $"format={format}{(compression is { } c ? $"&compression={c}" : "")}&expires={expires}");
}
